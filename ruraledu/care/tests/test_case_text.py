"""What staff wrote on a case (the plan, the contacts' words, placement, legal procedure,
certificate, closing note, the log's notes) names the child, parents, addresses: it goes with
the name. A viewer who sees the name masked sees that each exists and when, not the words."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.audit.models import AuditEvent
from ruraledu.core.models import PersonalDataAccess
from ruraledu.students.models import StudentPerson

from .. import services
from ..choices import (
    CaseCategory,
    CaseEventKind,
    CaseSource,
    CaseStatus,
    CloseReason,
    ContactKind,
)
from ..models import CaseEvent, DropoutCase
from ..services.cases import PLAN_BY_SCHOOL, PLAN_UNREAD
from .conftest import FOUND_ON, WALK_PLAN, make_pupil, open_case, walk

PLACEMENT = "区特殊教育学校（王大山家东侧村口）"
RESOLVE_NOTE = "家长王大山同意送孩子去特教学校"
CLOSE_NOTE = "已到特教学校核实，王小明每天到校"
# what `walk` writes on the way (contact, legal procedure) and the certificate below
WRITTEN = (
    WALK_PLAN,
    "李老师、张三",
    "家长同意劝说孩子返校",
    "三天后回访",
    "提请镇人民政府送达责令改正通知书",
    "ZB-2025-009",
    "区人民医院",
    PLACEMENT,
    RESOLVE_NOTE,
    CLOSE_NOTE,
)


@pytest.fixture
def closed_case(pupil, care_officer, town_officer):
    """A case taken to the district, placed by the town, closed by the school: once closed,
    the town sees the child's name masked again."""
    case = walk(
        open_case(pupil, care_officer),
        care_officer,
        CaseStatus.ESCALATED_DISTRICT,
        town_actor=town_officer,
    )
    services.case_resolve(
        case=case,
        actor=town_officer,
        version=case.version,
        outcome=CaseStatus.PLACED,
        on=FOUND_ON,
        certificate_number="ZB-2025-009",
        certificate_issuer="区人民医院",
        placement_note=PLACEMENT,
        note=RESOLVE_NOTE,
    )
    case.refresh_from_db()
    services.case_close(
        case=case,
        actor=care_officer,
        version=case.version,
        reason=CloseReason.PLACED,
        on=FOUND_ON,
        note=CLOSE_NOTE,
    )
    case.refresh_from_db()
    return case


def test_a_masked_viewer_sees_that_the_texts_exist_not_their_words(
    client, closed_case, town_officer
):
    # given a closed case the town sees with the name masked
    client.force_login(town_officer)
    # when the town opens it
    body = client.get(reverse("care:case_detail", args=[closed_case.pk])).content.decode()
    # then no word staff wrote is on the page
    assert "王*明" in body
    assert [text for text in WRITTEN if text in body] == []
    # and the facts are: a plan and when, each contact's date and kind, the closure
    assert "已制定书面劝返方案" in body and "制定于 2025-09-22" in body
    assert "2025-09-22 家访" in body and "转入特教学校或送教上门" in body
    assert body.count('data-testid="text-withheld"') >= 8


def test_a_viewer_who_sees_the_name_reads_every_text(
    client, closed_case, care_officer, district_admin
):
    for user in (care_officer, district_admin):
        client.force_login(user)
        body = client.get(reverse("care:case_detail", args=[closed_case.pk])).content.decode()
        assert "王小明" in body
        assert [text for text in WRITTEN if text not in body] == []
        assert 'data-testid="text-withheld"' not in body


def test_the_plan_form_is_not_offered_prefilled_to_a_masked_viewer(
    client, pupil, care_officer, town_officer
):
    # given a case in persuasion with the school's written plan
    case = walk(open_case(pupil, care_officer), care_officer, CaseStatus.CONTACTING)
    url = reverse("care:case_detail", args=[case.pk])
    # the school edits its plan from the form, prefilled
    client.force_login(care_officer)
    steps = {key: form for key, _, form, _ in client.get(url).context["steps"]}
    assert steps["plan"]["plan"].value() == WALK_PLAN
    # the town, which sees the name masked, still works the case but not the plan's words
    client.force_login(town_officer)
    response = client.get(url)
    steps = {key: form for key, _, form, _ in response.context["steps"]}
    assert "plan" not in steps and "contact" in steps
    assert WALK_PLAN not in response.content.decode()


def test_the_notice_is_not_printed_for_a_viewer_who_sees_the_name_masked(
    client, closed_case, town_officer, district_admin
):
    # given the town's notice of a case since placed and closed (the town sees it masked)
    notice = closed_case.notices.get()
    page = reverse("care:case_detail", args=[closed_case.pk])
    urls = (
        reverse("care:notice_print", args=[notice.pk]),
        reverse("documents:return_notice_download", args=[notice.pk, "docx"]),
    )
    # the town is offered no print and the notice, which names the child, is not found
    client.force_login(town_officer)
    assert "打印限期返校通知书" not in client.get(page).content.decode()
    assert [client.get(url).status_code for url in urls] == [404, 404]
    # the bureau, which sees the name, still prints it
    client.force_login(district_admin)
    assert "打印限期返校通知书" in client.get(page).content.decode()
    assert client.get(urls[0]).status_code == 200


def test_a_masked_viewer_cannot_rewrite_a_plan_it_cannot_read(
    client, pupil, care_officer, town_officer
):
    # given a case in persuasion with the school's written plan
    case = walk(open_case(pupil, care_officer), care_officer, CaseStatus.CONTACTING)
    case.refresh_from_db()
    # when the town, which sees the name masked, posts a plan anyway (not offered the form)
    client.force_login(town_officer)
    response = client.post(
        reverse("care:case_step", args=[case.pk, "plan"]),
        {
            "plan-version": case.version,
            "plan-on": FOUND_ON.isoformat(),
            "plan-plan": "镇街改写的方案：由镇街干部每周家访一次",
        },
    )
    # then it is refused in words and the school's plan stands, unaudited
    assert response.status_code == 400
    assert PLAN_UNREAD in response.content.decode()
    case.refresh_from_db()
    assert case.plan == WALK_PLAN


def _post_plan(client, case, words):
    return client.post(
        reverse("care:case_step", args=[case.pk, "plan"]),
        {"plan-version": case.version, "plan-on": FOUND_ON.isoformat(), "plan-plan": words},
    )


def test_a_masked_viewer_cannot_write_the_first_plan_the_school_can(
    client, pupil, care_officer, town_officer
):
    # given a school's case with its people assigned and no plan yet (not escalated)
    case = open_case(pupil, care_officer)
    services.case_assign(
        case=case,
        actor=care_officer,
        version=case.version,
        on=FOUND_ON,
        teacher_name="李老师",
        village_cadre="村支书 张三",
    )
    case.refresh_from_db()
    url = reverse("care:case_detail", args=[case.pk])
    # when the town, which sees the name masked, opens the case
    client.force_login(town_officer)
    response = client.get(url)
    # then it still works the case but is not offered the plan, and is told who writes it
    steps = {key for key, _, _, _ in response.context["steps"]}
    assert "plan" not in steps and "assign" in steps
    assert "（个案上报镇街前由学校制定）" in response.content.decode()
    # and a plan it posts all the same is refused in words: nothing stored, logged or audited
    audited = AuditEvent.objects.count()
    response = _post_plan(client, case, "镇街写的方案：由镇街干部每周家访一次")
    assert response.status_code == 400
    assert PLAN_BY_SCHOOL in response.content.decode()
    after = DropoutCase.objects.get(pk=case.pk)
    assert (after.plan, after.plan_written_on, after.version) == ("", None, case.version)
    assert not CaseEvent.objects.filter(case=case, kind=CaseEventKind.PLAN).exists()
    assert AuditEvent.objects.count() == audited
    # when the school opens the same case, it is offered the plan and writes it
    client.force_login(care_officer)
    response = client.get(url)
    assert "plan" in {key for key, _, _, _ in response.context["steps"]}
    assert 'data-testid="plan-by-school"' not in response.content.decode()
    assert _post_plan(client, case, WALK_PLAN).status_code == 302
    after.refresh_from_db()
    assert (after.plan, after.plan_written_on) == (WALK_PLAN, FOUND_ON)


def test_the_town_holding_a_case_of_a_child_never_enrolled_sees_the_name_and_writes_the_plan(
    client, town_a, town_b, town_officer
):
    # given a case the town holds for a child never enrolled (no school), as the
    # cross-check's list it came from names the child to the town, which must find them
    case = _town_case(town_a, town_officer)
    url = reverse("care:case_detail", args=[case.pk])
    # another town's office does not find it, nor can it write the plan
    other = UserFactory(username="town_b_officer")
    RoleAssignmentFactory(user=other, role=Role.TOWN_OFFICER, org_unit=town_b)
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert _post_plan(client, case, WALK_PLAN).status_code == 404
    assert not PersonalDataAccess.objects.exists()
    client.force_login(town_officer)
    # when the town opens the case, the name is in clear and the read is logged
    assert "孙小兰" in client.get(url).content.decode()
    assert PersonalDataAccess.objects.filter(user=town_officer).exists()
    # then the town writes the plan, reads it back and may revise it
    assert _post_plan(client, case, WALK_PLAN).status_code == 302
    assert WALK_PLAN in client.get(url).content.decode()
    revised = "镇街修改的方案：由镇街干部每周家访一次，村委会协助"
    case.refresh_from_db()
    assert _post_plan(client, case, revised).status_code == 302
    case.refresh_from_db()
    assert case.plan == revised


def test_a_case_of_a_child_never_enrolled_names_no_town_as_its_school(client, town_a, town_officer):
    # given a case the town holds for a child never enrolled (opened from the cross-check)
    case = _town_case(town_a, town_officer)
    client.force_login(town_officer)
    body = client.get(reverse("care:case_detail", args=[case.pk])).content.decode()
    # then the 学校 row says the child is not at school, not the town's name as a school
    school_row = body.split(">学校</dt>", 1)[1].split("</dd>", 1)[0]
    assert "未在校就读（由镇街办理）" in school_row
    assert town_a.name not in school_row
    # nor a 班主任 left 未指定, as if a step were missing
    teacher_row = body.split(">班主任</dt>", 1)[1].split("</dd>", 1)[0]
    assert "不适用（未在校就读）" in teacher_row and "未指定" not in teacher_row
    # and a contact before the assignment asks only for the 包村干部
    with pytest.raises(ValidationError) as refused:
        services.case_contact_add(
            case=case,
            version=case.version,
            actor=town_officer,
            kind=ContactKind.HOME_VISIT,
            on=FOUND_ON,
            who="镇干部",
            outcome="家中无人",
        )
    assert refused.value.messages == ["请先指定包村干部，再记录联系情况。"]


def test_the_town_names_only_the_village_cadre_for_a_child_never_enrolled(
    client, town_a, town_b, town_officer, school_a
):
    # given a case the town holds for a child never enrolled: the child has no 班主任
    case = _town_case(town_a, town_officer)
    url = reverse("care:case_step", args=[case.pk, "assign"])
    data = {"assign-version": case.version, "assign-on": FOUND_ON.isoformat()}
    # another town's office cannot assign it (404), and nothing changes
    other = UserFactory(username="town_b_officer")
    RoleAssignmentFactory(user=other, role=Role.TOWN_OFFICER, org_unit=town_b)
    client.force_login(other)
    assert client.post(url, {**data, "assign-village_cadre": "外镇干部"}).status_code == 404
    case.refresh_from_db()
    assert (case.status, case.village_cadre) == (CaseStatus.FOUND, "")
    client.force_login(town_officer)
    # when the town names the 包村干部 and leaves 班主任 empty
    response = client.post(url, {**data, "assign-village_cadre": "村支书 何立 13800000000"})
    # then the case is assigned, not refused for a 班主任 the child never had
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.village_cadre) == (CaseStatus.ASSIGNED, "村支书 何立 13800000000")
    # and the record names no empty 班主任
    assert case.events.get(kind=CaseEventKind.ASSIGNED).note == "包村干部：村支书 何立 13800000000"
    # while a pupil's case still needs the 班主任
    pupil_case = open_case(make_pupil(school_a), town_officer)
    with pytest.raises(ValidationError, match="请填写班主任和包村干部"):
        services.case_assign(
            case=pupil_case,
            actor=town_officer,
            version=pupil_case.version,
            on=FOUND_ON,
            village_cadre="村支书 何立",
        )


def _town_case(town, officer) -> DropoutCase:
    """A case the town holds for a child never enrolled (no school), opened from the
    cross-check's 疑似失学 list."""
    person = StudentPerson(name="孙小兰", sex="2", birth_date=dt.date(2013, 3, 1))
    person.save()
    case, _ = services.case_open(
        person=person,
        category=CaseCategory.SUSPECTED_OUT,
        source=CaseSource.CROSS_CHECK,
        opened_on=FOUND_ON,
        actor=officer,
        year=2025,
        town=town,
    )
    return case
