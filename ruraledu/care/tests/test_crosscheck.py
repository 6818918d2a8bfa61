"""四查三比对: the matching (dropout, never enrolled, moved away, transferred, graduated,
on several lists, already in an open case), repeatability, clearing and its persistence,
and the background run."""

import datetime as dt

import pytest

from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.choices import TransferStatus
from ruraledu.students.models import Enrolment, Transfer

from .. import services
from ..choices import ClearReason, CrossCheckStatus, FindingKind, ListKind
from ..crosscheck import cross_check
from ..jobs import cross_check_start
from ..models import CrossCheckRun, DropoutCase, Finding, ListEntry
from .conftest import YEAR, make_pupil, open_case


@pytest.fixture
def village_a(town_a):
    return OrgUnitFactory(code="VA", name="甲村", kind=OrgUnitKind.VILLAGE, parent=town_a)


@pytest.fixture
def village_b(town_b):
    return OrgUnitFactory(code="VB", name="乙村", kind=OrgUnitKind.VILLAGE, parent=town_b)


def put_on(kind, number, name, village, year=YEAR):
    entry = ListEntry(
        kind=kind,
        year=year,
        name=name,
        sex="1",
        village=village,
        town=village.parent,
        birth_date=dt.date(2015, 6, 1),
    )
    entry.set_id_number(number)
    entry.save()
    return entry


def enrolled(person, school, year, grade):
    return Enrolment.objects.create(person=person, school=school, year=year, grade=grade)


def run(year=YEAR):
    job = CrossCheckRun.objects.create(year=year)
    return cross_check(year=year, run=job)


def found(kind):
    return {f.name: f for f in Finding.objects.filter(kind=kind, present=True)}


def test_it_finds_the_children_out_of_school_and_no_one_else(school_a, village_a, district_admin):
    # given
    at_school = make_pupil(school_a, name="在校生")
    put_on(ListKind.HOUSEHOLD, at_school.id_number(), "在校生", village_a)
    never = put_on(ListKind.HOUSEHOLD, new_id(), "未入学", village_a)
    dropout = make_pupil(school_a, name="辍学生", year=YEAR - 1, grade=4)
    put_on(ListKind.HOUSEHOLD, dropout.id_number(), "辍学生", village_a)
    moved = make_pupil(school_a, name="转学生", year=YEAR - 1, grade=3)
    Transfer.objects.create(
        person=moved,
        year=YEAR,
        from_school=school_a,
        to_school=school_a,
        grade=4,
        status=TransferStatus.CONFIRMED,
        requested_by=district_admin,
    )
    graduate = make_pupil(school_a, name="毕业生", year=YEAR - 1, grade=6)
    not_on_register = make_pupil(school_a, name="外区生", year=YEAR - 1, grade=5)
    # when
    stats = run()
    # then
    out = found(FindingKind.NOT_ENROLLED)
    assert set(out) == {"未入学"}
    assert (out["未入学"].unit, out["未入学"].school, out["未入学"].entry) == (
        village_a.parent,
        None,
        never,
    )
    assert out["未入学"].note == "本学年在全区学籍中未见登记"
    drop = found(FindingKind.DROPOUT)
    assert set(drop) == {"辍学生", "外区生"}
    assert (drop["辍学生"].school, drop["辍学生"].unit_id, drop["辍学生"].student) == (
        school_a,
        school_a.pk,
        dropout,
    )
    assert drop["辍学生"].note == "2024学年4年级，本学年未见学籍，也没有已确认的转学"
    assert drop["辍学生"].lists == "household" and drop["外区生"].lists == ""
    assert stats.counts == {"not_enrolled": 1, "dropout": 2}
    assert graduate and not_on_register and moved  # kept out by graduation and transfer


def test_a_primary_leaver_who_starts_nowhere_is_found_as_not_enrolled(school_a, village_a):
    leaver = make_pupil(school_a, name="小升初", year=YEAR - 1, grade=6)
    put_on(ListKind.HOUSEHOLD, leaver.id_number(), "小升初", village_a)
    run()
    assert not found(FindingKind.DROPOUT)
    assert found(FindingKind.NOT_ENROLLED)["小升初"].note == (
        "2024学年在甲镇中心小学6年级，本学年未见学籍"
    )


def test_a_child_on_several_lists_is_found_once_per_working_list(school_a, village_a):
    # given an orphan also in hardship, enrolled with the orphan flag only
    child = make_pupil(school_a, name="多名单")
    Enrolment.objects.filter(person=child).update(orphan=True)
    for kind in (ListKind.HOUSEHOLD, ListKind.ORPHAN, ListKind.HARDSHIP):
        put_on(kind, child.id_number(), "多名单", village_a)
    out = put_on(ListKind.HOUSEHOLD, new_id(), "未入学孤儿", village_a)
    put_on(ListKind.ORPHAN, out.id_number(), "未入学孤儿", village_a)
    put_on(ListKind.DISABLED, out.id_number(), "未入学孤儿", village_a)
    # when
    run()
    # then
    assert Finding.objects.filter(id_index=child.id_index).count() == 2
    priority = found(FindingKind.PRIORITY)
    assert priority["多名单"].note == "甲镇中心小学7年级；学生名册未标记：困境儿童"
    assert priority["多名单"].lists == "household,hardship,orphan"
    assert priority["未入学孤儿"].unit == village_a.parent
    assert set(found(FindingKind.MULTI_LIST)) == {"多名单", "未入学孤儿"}
    assert found(FindingKind.MULTI_LIST)["多名单"].note == "同时在：困境儿童名单、孤儿名单"
    assert set(found(FindingKind.NOT_ENROLLED)) == {"未入学孤儿"}


def test_running_twice_makes_no_duplicates_and_links_an_open_case(
    school_a, village_a, care_officer
):
    # given a dropout already in an open case
    pupil = make_pupil(school_a, name="已建档", year=YEAR - 1, grade=5)
    case = open_case(pupil, care_officer)
    put_on(ListKind.HOUSEHOLD, new_id(), "未入学", village_a)
    # when
    first = run()
    second = run()
    # then
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert Finding.objects.count() == 2
    assert Finding.objects.get(name="已建档").case == case
    assert DropoutCase.objects.count() == 1


def test_a_child_no_longer_found_is_kept_but_not_listed(school_a, village_a):
    entry = put_on(ListKind.HOUSEHOLD, new_id(), "后来入学", village_a)
    run()
    person = make_pupil(school_a, name="后来入学")
    person.id_index = entry.id_index
    person.save()
    stats = run()
    assert stats.gone == 1
    assert Finding.objects.get().present is False


def test_a_cleared_child_stays_cleared_until_the_situation_changes(village_a, town_officer, town_b):
    # given a child who moved away, cleared by the town office
    entry = put_on(ListKind.HOUSEHOLD, new_id(), "迁出", village_a)
    run()
    finding = Finding.objects.get()
    services.finding_clear(
        finding=finding,
        actor=town_officer,
        reason=ClearReason.MOVED_AWAY,
        evidence="已随父母迁往济南市历下区，户口迁移证明编号 2025-118",
    )
    # when the next run finds the same facts
    assert run().reopened == 0
    # then the child stays cleared
    finding.refresh_from_db()
    assert (finding.clear_reason, finding.present) == (ClearReason.MOVED_AWAY, True)
    # when the child's village changes (back in the district, elsewhere)
    other = OrgUnitFactory(code="VB2", kind=OrgUnitKind.VILLAGE, parent=town_b)
    ListEntry.objects.filter(pk=entry.pk).update(village=other, town=town_b)
    stats = run()
    finding.refresh_from_db()
    assert (stats.reopened, finding.clear_reason, finding.town) == (1, "", town_b)


def test_clearing_needs_a_reason_and_evidence_and_is_refused_out_of_scope(
    village_a, town_officer, outsider
):
    from django.core.exceptions import PermissionDenied, ValidationError

    put_on(ListKind.HOUSEHOLD, new_id(), "未入学", village_a)
    run()
    finding = Finding.objects.get()
    with pytest.raises(ValidationError) as refused:
        services.finding_clear(
            finding=finding, actor=town_officer, reason="deceased", evidence="短"
        )
    assert refused.value.messages == [
        "请写明核实情况与佐证（如迁入地、就读学校及学籍号、死亡证明编号、核实人和方式），"
        "至少 6 个字。"
    ]
    with pytest.raises(PermissionDenied):
        services.finding_clear(
            finding=finding,
            actor=outsider,
            reason="deceased",
            evidence="死亡医学证明书编号 A123456",
        )
    assert Finding.objects.get().clear_reason == ""


def test_opening_a_case_for_a_child_never_enrolled_places_it_at_the_town(village_a, town_officer):
    entry = put_on(ListKind.HOUSEHOLD, new_id(), "未入学", village_a)
    run()
    finding = Finding.objects.get()
    case, created = services.finding_case_open(
        finding=finding, actor=town_officer, on=dt.date(2025, 9, 22), year=YEAR
    )
    again, created_again = services.finding_case_open(
        finding=finding, actor=town_officer, on=dt.date(2025, 9, 22), year=YEAR
    )
    assert (created, created_again, again) == (True, False, case)
    assert (case.unit, case.school, case.category, case.source) == (
        village_a.parent,
        None,
        "suspected_out",
        "cross_check",
    )
    assert case.person.id_index == entry.id_index and case.person.id_number() == entry.id_number()
    assert Finding.objects.get().case == case


def test_the_bureau_runs_the_check_in_the_background_with_progress(
    village_a, district_admin, django_capture_on_commit_callbacks
):
    put_on(ListKind.HOUSEHOLD, new_id(), "未入学", village_a)
    with django_capture_on_commit_callbacks(execute=True):
        job = cross_check_start(actor=district_admin, year=YEAR)
    job.refresh_from_db()
    assert (job.status, job.progress, job.counts) == (
        CrossCheckStatus.DONE,
        100,
        {"not_enrolled": 1},
    )
    assert job.message.startswith(
        "疑似失学 1 人，疑似辍学 0 人，重点类别儿童 0 人，在多个名单中 0 人"
    )


def test_only_the_bureau_starts_a_check(town_officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        cross_check_start(actor=town_officer, year=YEAR)
    assert not CrossCheckRun.objects.exists()


def _children_of_every_kind(school, village, care_officer, count):
    """`count` children for each working list: never enrolled, dropped out (the first in an
    open case), and enrolled while on two priority lists (priority and multi-list)."""
    for n in range(count):
        put_on(ListKind.HOUSEHOLD, new_id(), f"未入学{n}", village)
        dropout = make_pupil(school, name=f"辍学{n}", year=YEAR - 1, grade=4)
        if n == 0:
            open_case(dropout, care_officer)
        pupil = make_pupil(school, name=f"多名单{n}")
        for kind in (ListKind.HOUSEHOLD, ListKind.ORPHAN, ListKind.POVERTY):
            put_on(kind, pupil.id_number(), f"多名单{n}", village)


def test_the_number_of_queries_does_not_grow_with_the_number_of_children(
    school_a, village_a, care_officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements(count):
        Finding.objects.all().delete()
        _children_of_every_kind(school_a, village_a, care_officer, count)
        with CaptureQueriesContext(connection) as first:
            created = run().created
        with CaptureQueriesContext(connection) as again:
            unchanged = run().unchanged
        return len(first), len(again), created, unchanged

    # given 1, then 25 children of each kind (the second set on top of the first)
    few = statements(1)
    many = statements(24)
    # then the same statements ran for both, and every child was found once per list
    assert few[:2] == many[:2]
    assert (few[2:], many[2:]) == ((4, 4), (100, 100))
    assert Finding.objects.filter(case__isnull=False).count() == DropoutCase.objects.count() == 2
