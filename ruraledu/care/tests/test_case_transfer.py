"""A pupil with an open 控辍保学 case whose 转学 to another school is confirmed: the case stays
at the school that held it, whose care roles (and the town office or the bureau acting on an
escalated case) get a 待办提醒 (after commit, naming no child) to check with the new school
whether the child attends."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.audit.models import AuditEvent
from ruraledu.orgunits.tests.factories import SchoolFactory
from ruraledu.reporting.models import Notification

from ..choices import CaseEscalation, CaseEventKind, CaseStatus, CloseReason
from ..models import DropoutCase
from ..services import case_close
from ..services.escalation import case_transfer_notice
from .conftest import FOUND_ON, confirm_transfer, make_pupil, open_case, walk


@pytest.fixture
def pupil(school_a):
    """王小明 in grade 5: a grade both primary schools teach."""
    return make_pupil(school_a, grade=5)


@pytest.fixture
def case(pupil, care_officer):
    """王小明's case at school A, in persuasion."""
    return walk(open_case(pupil, care_officer), care_officer, CaseStatus.CONTACTING)


@pytest.fixture
def school_c(town_a):
    return SchoolFactory(
        org_unit__code="SC", org_unit__name="甲镇第二小学", org_unit__parent=town_a
    )


def care_user(username, school, role=Role.SCHOOL_CARE_OFFICER):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, role=role, org_unit=school.org_unit)
    return user


def test_a_confirmed_transfer_tells_the_case_school_only(
    client,
    case,
    pupil,
    care_officer,
    school_clerk,
    school_b,
    school_c,
    outsider,
    town_officer,
    district_admin,
    django_capture_on_commit_callbacks,
):
    # given another school's open case, and care roles at the receiving and another school
    other_officer = care_user("other_officer", school_c)
    open_case(make_pupil(school_c, name="刘小刚"), other_officer)
    b_officer = care_user("b_officer", school_b)
    # when school A confirms 王小明's transfer to school B
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transfer = confirm_transfer(pupil.pk, school_b, school_clerk)
    # then no one is told before the confirmation commits
    assert not Notification.objects.exists()
    for callback in callbacks:
        callback()
    # and then A's care roles (who work the case) get one reminder each, linking to it
    told = Notification.objects.order_by("recipient__username")
    assert [n.recipient for n in told] == [care_officer, school_clerk]
    title = f"学生已转学：控辍保学个案 #{case.pk}（甲镇中心小学）"
    assert {(n.kind, n.title, n.url) for n in told} == {
        ("task", title, reverse("care:case_detail", args=[case.pk]))
    }
    notice = told[0]
    assert notice.body == (
        f"该生的转学已于 {timezone.localdate(transfer.decided_at):%Y年%m月%d日} 确认，"
        "学籍已转入乙镇中心小学。请与转入学校核实该生是否已到校就读，"
        "并据实办理个案（登记劝返结果或结案）。"
    )
    # naming no child, not even masked
    assert [w for w in ("王小明", "王*明", "刘小刚") if w in notice.title + notice.body] == []
    # and no one at the receiving school, another school, the town or the bureau is told
    for user in (outsider, b_officer, other_officer, town_officer, district_admin):
        assert not Notification.objects.filter(recipient=user).exists()
    # the recipients may open the case the reminder links to
    client.force_login(school_clerk)
    assert client.get(notice.url).status_code == 200


def test_a_transfer_without_an_open_case_tells_no_one(
    case, pupil, care_officer, school_clerk, school_b, django_capture_on_commit_callbacks
):
    # given the case closed before the move
    case_close(
        case=case,
        actor=care_officer,
        version=case.version,
        reason=CloseReason.MISTAKEN,
        on=FOUND_ON,
        note="核实为误报",
    )
    with django_capture_on_commit_callbacks(execute=True):
        confirm_transfer(pupil.pk, school_b, school_clerk)
    assert not Notification.objects.exists()
    assert not case.events.filter(kind=CaseEventKind.TRANSFERRED).exists()


def test_the_reminder_gives_the_local_day_of_the_confirmation(
    case, pupil, care_officer, school_clerk, school_b, django_capture_on_commit_callbacks
):
    transfer = confirm_transfer(pupil.pk, school_b, school_clerk)
    Notification.objects.all().delete()
    # confirmed at 01:00 on 1 October in Beijing, still 30 September in UTC
    transfer.decided_at = dt.datetime(2025, 9, 30, 17, 0, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        assert case_transfer_notice(transfer=transfer) == 1
    (notice,) = Notification.objects.filter(recipient=care_officer)
    assert "该生的转学已于 2025年10月01日 确认" in notice.body


def transfer_told(pupil, to_school, by, callbacks_fixture):
    """Confirm the transfer and run what follows its commit; the notices sent then."""
    Notification.objects.all().delete()
    with callbacks_fixture(execute=True):
        confirm_transfer(pupil.pk, to_school, by)
    return Notification.objects.order_by("recipient__username")


def test_a_case_reported_to_the_town_also_tells_the_town_office(
    client,
    case,
    pupil,
    care_officer,
    school_clerk,
    school_b,
    town_officer,
    district_admin,
    django_capture_on_commit_callbacks,
):
    # given the case reported to the town, which issued its 限期返校通知书
    walk(case, care_officer, CaseStatus.ESCALATED_TOWN, town_actor=town_officer)
    # when the pupil's transfer to school B is confirmed
    told = transfer_told(pupil, school_b, school_clerk, django_capture_on_commit_callbacks)
    # then the town office acting on it is told as well as the school's care roles, once each
    assert [n.recipient for n in told] == [care_officer, school_clerk, town_officer]
    assert {n.title for n in told} == {f"学生已转学：控辍保学个案 #{case.pk}（甲镇中心小学）"}
    # naming no child, and not the bureau (the case is not at its level)
    assert [n for n in told if "王小明" in n.title + n.body or "王*明" in n.title + n.body] == []
    assert not Notification.objects.filter(recipient=district_admin).exists()
    # and the town office may open the case the reminder links to
    client.force_login(town_officer)
    assert client.get(told.get(recipient=town_officer).url).status_code == 200


def test_a_case_raised_to_the_bureau_by_the_daily_job_also_tells_the_bureau(
    client,
    case,
    pupil,
    care_officer,
    school_clerk,
    school_b,
    town_officer,
    district_admin,
    django_capture_on_commit_callbacks,
):
    # given the school's step so overdue that the daily job raised the case to the bureau
    DropoutCase.objects.filter(pk=case.pk).update(escalation=CaseEscalation.DISTRICT)
    told = transfer_told(pupil, school_b, school_clerk, django_capture_on_commit_callbacks)
    # then the bureau (the level acting on it now) is told with the school's care roles;
    # the town office, passed over, is not
    assert [n.recipient for n in told] == [care_officer, district_admin, school_clerk]
    assert not Notification.objects.filter(recipient=town_officer).exists()
    client.force_login(district_admin)
    assert client.get(told.get(recipient=district_admin).url).status_code == 200


def test_a_case_at_its_school_tells_no_one_above_it(
    case,
    pupil,
    care_officer,
    school_clerk,
    school_b,
    town_officer,
    district_admin,
    django_capture_on_commit_callbacks,
):
    told = transfer_told(pupil, school_b, school_clerk, django_capture_on_commit_callbacks)
    assert [n.recipient for n in told] == [care_officer, school_clerk]


def test_the_transfer_is_logged_in_the_case_as_a_system_step(
    case, pupil, care_officer, school_clerk, school_a, school_b
):
    status = case.status
    transfer = confirm_transfer(pupil.pk, school_b, school_clerk)
    day = timezone.localdate(transfer.decided_at)
    # the case's 办理记录 gets one step written by the system, naming the school and the day
    event = case.events.get(kind=CaseEventKind.TRANSFERRED)
    assert (event.actor, event.on, event.from_status, event.to_status) == (
        None,
        day,
        status,
        status,
    )
    assert event.note == f"学籍已转入乙镇中心小学（{day:%Y-%m-%d} 确认转学）"
    assert not event.holds_text
    # the case itself stays where it was, as it was
    case.refresh_from_db()
    assert (case.status, case.school_id) == (status, school_a.pk)
    # audited as the system's, as the automatic escalation is
    audit = AuditEvent.objects.filter(
        object_id=str(case.pk), summary="控辍保学个案：学生转学，学籍已转入乙镇中心小学"
    ).get()
    assert (audit.actor, audit.actor_name, audit.action) == (None, "系统", "update")
    assert audit.after == {
        "transfer": transfer.pk,
        "to_school": "乙镇中心小学",
        "confirmed_on": day.isoformat(),
    }


def test_a_viewer_who_sees_the_name_masked_reads_the_transfer_step(
    client, case, pupil, care_officer, school_clerk, school_b, town_officer
):
    transfer = confirm_transfer(pupil.pk, school_b, school_clerk)
    day = timezone.localdate(transfer.decided_at)
    url = reverse("care:case_detail", args=[case.pk])
    # the town before escalation sees the name masked, and still the whole transfer step
    for viewer, masked in ((town_officer, True), (care_officer, False)):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert ("王小明" not in page) is masked
        events = page[page.index('data-testid="case-events"') :]
        step = events[events.index("学生转学（学籍已转入其他学校）") :]
        step = step[: step.index("</li>")]
        assert "系统（转学确认）" in step
        assert f"学籍已转入乙镇中心小学（{day:%Y-%m-%d} 确认转学）" in step
        assert "含学生个人信息" not in step
