"""Retention: the bureau sets the period; past it, a closed case loses its personal fields
(names, contacts' words, notes, files) while the case, its dates and every figure stay."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.audit.tests.raw import raw_audit_text
from ruraledu.indicators.definitions import care as definitions
from ruraledu.indicators.engine import REGISTRY, Tree
from ruraledu.indicators.services import compute_year
from ruraledu.students.models import StudentPerson

from .. import services
from ..choices import (
    CaseCategory,
    CaseEventKind,
    CaseFileKind,
    CaseSource,
    CaseStatus,
    CloseReason,
    ContactKind,
    FindingKind,
)
from ..models import (
    CareRetention,
    CaseContact,
    CaseEvent,
    CaseFile,
    CrossCheckRun,
    DropoutCase,
    Finding,
    ReturnNotice,
)
from ..services.retention import ERASED, cases_erase_expired, retention_set
from .conftest import CERTIFICATE_PDF, make_pupil

D = dt.date
CODES = ["poor_family_dropout_open_count", "dropout_case_plan_rate"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _step(fn, case, **kwargs):
    case.refresh_from_db()
    fn(case=case, version=case.version, **kwargs)
    case.refresh_from_db()
    return case


@pytest.fixture
def closed(school_a, town_a, care_officer, town_officer, district_admin):
    """Two closed cases. E1: a pupil of school A from a 脱贫 family, found 1 April 2026, plan
    1 June, visit 10 June, escalated with a notice, back at school and closed 10 July 2026 (so
    open on the 2025 year's day, 30 June). E2: a child never enrolled, found 1 March, closed as
    moved away 20 March 2026."""
    pupil = make_pupil(school_a, name="甲一", family_status="lifted")
    e1, _ = services.case_open(
        person=pupil,
        category=CaseCategory.SUSPECTED_DROPOUT,
        source=CaseSource.SCHOOL,
        opened_on=D(2026, 4, 1),
        actor=care_officer,
        year=2025,
    )
    _step(
        services.case_assign,
        e1,
        actor=care_officer,
        on=D(2026, 4, 1),
        teacher_name="李老师",
        village_cadre="村支书 张三 13800000000",
    )
    _step(
        services.case_plan_set,
        e1,
        actor=care_officer,
        on=D(2026, 6, 1),
        plan="李老师每周家访，张三联系在外务工的父亲",
    )
    _step(
        services.case_contact_add,
        e1,
        actor=care_officer,
        kind=ContactKind.HOME_VISIT,
        on=D(2026, 6, 10),
        who="李老师、张三",
        outcome="母亲王某同意劝说",
        next_step="再访",
    )
    _step(services.case_escalate, e1, actor=town_officer, on=D(2026, 6, 12), guardian="王大山")
    _step(
        services.case_resolve, e1, actor=town_officer, outcome=CaseStatus.RETURNED, on=D(2026, 7, 5)
    )
    _step(
        services.case_file_add,
        e1,
        actor=care_officer,
        kind=CaseFileKind.CLOSURE,
        data=CERTIFICATE_PDF,
        filename="返校证明.pdf",
    )
    _step(
        services.case_close,
        e1,
        actor=district_admin,
        reason=CloseReason.RETURNED,
        on=D(2026, 7, 10),
        note="返校后稳定就读一个月",
    )
    child = StudentPerson(name="乙二", sex="2", birth_date=D(2015, 3, 1))
    child.set_id_number("370302201503010024")
    child.save()
    e2, _ = services.case_open(
        person=child,
        category=CaseCategory.SUSPECTED_OUT,
        source=CaseSource.CROSS_CHECK,
        opened_on=D(2026, 3, 1),
        actor=town_officer,
        year=2025,
        town=town_a,
    )
    _step(
        services.case_close,
        e2,
        actor=town_officer,
        reason=CloseReason.MOVED_AWAY,
        on=D(2026, 3, 20),
        note="随父母迁往青岛，已核实在读证明",
    )
    return e1, e2


def _finding(run, town, **fields):
    """A cross-check row as a run leaves it, in `town`."""
    return Finding.objects.create(town=town, unit=town, found_run=run, seen_run=run, **fields)


def _figures(monkeypatch):
    monkeypatch.setattr(definitions, "as_of", lambda year: D(2026, 6, 30))
    return compute_year(2025, [REGISTRY[c] for c in CODES], Tree())[0]


def test_past_the_period_personal_fields_go_and_the_figures_stay(
    monkeypatch, django_capture_on_commit_callbacks, closed, district_admin, district, school_a
):
    e1, e2 = closed
    before = _figures(monkeypatch)
    assert before[("dropout_case_plan_rate", school_a.pk)][:3] == (100.0, 1, 1)
    assert before[("poor_family_dropout_open_count", district.pk)][0] == 1
    stored = CaseFile.objects.get(case=e1).file
    retention_set(actor=district_admin, years=1)
    # when the job runs a day short of a year after E1's closure: only E2 is due
    assert cases_erase_expired(today=D(2027, 7, 10)) == 1
    assert DropoutCase.objects.get(pk=e1.pk).erased_on is None
    # when it runs a year and a day after
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_erase_expired(today=D(2027, 7, 11)) == 1
    case = DropoutCase.objects.get(pk=e1.pk)
    # then the words that named people are gone, the dates and statuses stay
    assert (case.teacher_name, case.village_cadre, case.plan, case.close_note) == (ERASED,) * 4
    assert (case.status, case.opened_on, case.plan_written_on, case.last_contact_on) == (
        CaseStatus.CLOSED,
        D(2026, 4, 1),
        D(2026, 6, 1),
        D(2026, 6, 10),
    )
    contact = CaseContact.objects.get(case=case)
    assert (contact.who, contact.outcome, contact.next_step, contact.on) == (
        ERASED,
        ERASED,
        ERASED,
        D(2026, 6, 10),
    )
    assert ReturnNotice.objects.get(case=case).guardian == ERASED
    assert not CaseFile.objects.filter(case=case).exists()
    assert not stored.storage.exists(stored.name)
    notes = set(
        CaseEvent.objects.filter(case=case)
        .exclude(kind=CaseEventKind.ERASED)
        .values_list("note", flat=True)
    )
    assert notes == {ERASED}
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.ERASED).count() == 1
    # the enrolled pupil keeps the roster's name; the child known only by the case loses it
    assert StudentPerson.objects.get(pk=e1.person_id).name == "甲一"
    assert StudentPerson.objects.get(pk=e2.person_id).name == ERASED
    erasures = AuditEvent.objects.filter(
        summary__startswith="控辍保学个案：保存期满", action="update"
    )
    assert erasures.count() == 2
    # and every figure is what it was
    after = _figures(monkeypatch)
    assert {k: v[:3] for k, v in after.items()} == {k: v[:3] for k, v in before.items()}
    # a second run erases nothing more
    assert cases_erase_expired(today=D(2027, 7, 11)) == 0


def test_nothing_is_erased_before_the_bureau_sets_a_period(closed, capsys):
    assert cases_erase_expired(today=D(2040, 1, 1)) == 0
    call_command("erase_expired_cases", "--today", "2040-01-01")
    assert capsys.readouterr().out.strip() == "区教体局尚未设定保存期限，未清除任何个案。"


def test_only_the_bureau_sets_the_period_within_bounds(district_admin, town_officer):
    with pytest.raises(PermissionDenied):
        retention_set(actor=town_officer, years=3)
    with pytest.raises(ValidationError):
        retention_set(actor=district_admin, years=0)
    retention_set(actor=district_admin, years=3)
    retention_set(actor=district_admin, years=5)
    assert CareRetention.objects.get().years == 5
    assert AuditEvent.objects.filter(summary__startswith="控辍保学个案保存期限").count() == 2


def test_the_retention_page_is_the_bureaus(client, district_admin, town_officer, care_officer):
    client.force_login(district_admin)
    assert client.get(reverse("care:retention")).status_code == 200
    assert client.post(reverse("care:retention"), {"years": "4"}).status_code == 302
    assert CareRetention.objects.get().years == 4
    for user in (town_officer, care_officer):
        client.force_login(user)
        assert client.get(reverse("care:retention")).status_code == 404
        assert client.post(reverse("care:retention"), {"years": "1"}).status_code == 404
    assert CareRetention.objects.get().years == 4


def test_erasure_leaves_no_personal_text_in_the_audit_trail(closed, district_admin, town_officer):
    # given: E2's child entered the trail with name and ID index (as the cross-check writes it)
    e1, e2 = closed
    child = StudentPerson.objects.get(pk=e2.person_id)
    audit_record(
        actor=town_officer,
        instance=child,
        action=AuditAction.CREATE,
        after=snapshot(child),
        summary=f"四查三比对：为未登记学籍的儿童建立人员记录（{child.name}）",
    )
    # and a cross-check finding of the child, linked to E2, whose clearing named a witness
    check_run = CrossCheckRun.objects.create(year=2025)
    the_child = {
        "kind": FindingKind.NOT_ENROLLED,
        "id_index": child.id_index,
        "name": child.name,
        "id_hint": child.id_hint,
        "birth_date": child.birth_date,
    }
    finding = _finding(
        check_run, e2.town, year=2025, case=e2, clear_evidence="经村委会王小明电话核实", **the_child
    )
    # a later year's finding of the same child, found by the child's record, with no case
    later = _finding(check_run, e2.town, year=2026, student=child, **the_child)
    # and a finding of E1's pupil, who stays on the roster: only the clearing's words go
    pupil = _finding(
        check_run,
        e2.town,
        year=2025,
        kind=FindingKind.PRIORITY,
        id_index=e1.person.id_index,
        name=e1.person.name,
        student=e1.person,
        case=e1,
        clear_evidence="班主任李老师核实",
    )
    audit_record(
        actor=town_officer,
        instance=finding,
        action=AuditAction.UPDATE,
        after={"clear_evidence": "经村委会王小明电话核实"},
        summary="四查三比对：核销",
    )
    personal = [
        "王小明",
        "乙二",
        child.id_index,
        child.id_hint,
        "李老师",
        "张三",
        "13800000000",
        "返校证明.pdf",
        "返校后稳定就读一个月",
        "随父母迁往青岛",
        "母亲王某同意劝说",  # the contact's words, in its own audit row
        "王大山",  # the notice's guardian, in its own audit row
    ]
    assert [text for text in personal if text not in raw_audit_text()] == []
    retention_set(actor=district_admin, years=1)
    rows_before = AuditEvent.objects.count()
    # when
    assert cases_erase_expired(today=D(2040, 1, 1)) == 2
    # then: none of it is left in any audit row, and no row went
    assert [text for text in personal if text in raw_audit_text()] == []
    # nor in the cross-check's row of the child, which keeps its list and dates
    for row in (finding, later):
        row.refresh_from_db()
        assert (row.name, row.id_hint, row.birth_date) == (ERASED, "", None)
    assert finding.clear_evidence == ERASED
    assert (finding.kind, finding.year, finding.case_id) == (FindingKind.NOT_ENROLLED, 2025, e2.pk)
    pupil.refresh_from_db()
    assert (pupil.name, pupil.clear_evidence) == ("甲一", ERASED)
    # the child's own record keeps no birth date or ID hint for a later check to copy back
    child.refresh_from_db()
    assert (child.name, child.birth_date, child.id_hint) == (ERASED, None, "")
    assert AuditEvent.objects.count() == rows_before + 4  # per case: a redaction, an erasure
    redactions = AuditEvent.objects.filter(action=AuditAction.REDACT).order_by("pk")
    assert {(r.object_id, r.after["reason"]) for r in redactions} == {
        (str(e1.pk), "retention"),
        (str(e2.pk), "retention"),
    }
    erased = AuditEvent.objects.filter(payload_salt="")
    assert sum(r.after["count"] for r in redactions) == erased.count()
    # the case rows keep who did what, when: only their words went
    assert set(erased.values_list("content_type__model", "object_id")) == {
        ("dropoutcase", str(e1.pk)),
        ("dropoutcase", str(e2.pk)),
        ("studentperson", str(child.pk)),
        ("finding", str(finding.pk)),
        ("casecontact", str(CaseContact.objects.get(case=e1).pk)),
        ("returnnotice", str(ReturnNotice.objects.get(case=e1).pk)),
    }
    assert AuditEvent.objects.filter(summary__startswith="控辍保学个案保存期限").count() == 1
    out = StringIO()
    call_command("integrity_check", stdout=out)
    assert f"其中 {erased.count()} 条的个人信息已按保存期限清除" in out.getvalue()
    # a later run redacts nothing more
    assert cases_erase_expired(today=D(2040, 1, 2)) == 0
    assert AuditEvent.objects.filter(action=AuditAction.REDACT).count() == 2


def test_findings_left_by_an_earlier_erasure_are_erased_once_and_audited(closed, district_admin):
    # given: E2 erased before findings were erased with their case (as after an upgrade)
    e1, e2 = closed
    retention_set(actor=district_admin, years=1)
    assert cases_erase_expired(today=D(2027, 3, 21)) == 1
    run = CrossCheckRun.objects.create(year=2026)
    child = StudentPerson.objects.get(pk=e2.person_id)
    assert child.name == ERASED
    left = _finding(
        run,
        e2.town,
        year=2026,
        kind=FindingKind.NOT_ENROLLED,
        id_index=child.id_index,
        name="乙二",
        id_hint="3703****0024",
        birth_date=D(2015, 3, 1),
        student=child,
        case=e2,
        clear_evidence="经邻居王小明核实",
    )
    rows = AuditEvent.objects.count()
    # when the daily job runs again, with nothing else due
    assert cases_erase_expired(today=D(2027, 3, 22)) == 0
    # then the finding holds nothing of the child, and the change is audited without it
    left.refresh_from_db()
    assert (left.name, left.id_hint, left.birth_date, left.clear_evidence) == (
        ERASED,
        "",
        None,
        ERASED,
    )
    assert AuditEvent.objects.count() == rows + 2
    assert "王小明" not in raw_audit_text() and "乙二" not in raw_audit_text()
    # and a second run finds nothing more to do
    assert cases_erase_expired(today=D(2027, 3, 23)) == 0
    assert AuditEvent.objects.count() == rows + 2
