"""The daily follow-up: reminders to whoever must act before a deadline, overdue cases moved
up by themselves (school → town → bureau) counted in working days over the National Day
holiday, the step logged, and a second run that sends and raises nothing."""

import datetime as dt
import io
from functools import partial

import pytest
from django.core.management import call_command

from ruraledu.audit.models import AuditEvent
from ruraledu.reporting.models import Notification

from ..choices import CaseEscalation, CaseEventKind, CaseStatus
from ..models import CaseEvent, DropoutCase
from ..services.escalation import cases_follow_up
from .conftest import FOUND_ON, open_case, walk

D = dt.date


@pytest.fixture
def found(pupil, care_officer):
    # found Monday 22 September 2025: the 班主任 is due two working days on, 24 September
    case = open_case(pupil, care_officer)
    assert case.deadline == D(2025, 9, 24)
    return case


def _run(capture, today):
    with capture(execute=True):
        return cases_follow_up(today=today)


def _notices(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    return rows.filter(kind=kind) if kind else rows


def test_the_school_is_reminded_the_day_before_and_only_once(
    django_capture_on_commit_callbacks, found, care_officer, town_officer
):
    # when the job runs the day before the deadline, twice
    first = _run(django_capture_on_commit_callbacks, D(2025, 9, 23))
    second = _run(django_capture_on_commit_callbacks, D(2025, 9, 23))
    # then the school's officer has one 待办 (without the child's name), the town nothing
    notice = _notices(care_officer).get()
    assert (notice.kind, notice.url) == ("task", f"/care/cases/{found.pk}/")
    assert "王小明" not in notice.title + notice.body
    assert "2025年09月24日" in notice.body
    assert (first.reminders, second.reminders) == (1, 0)
    assert not _notices(town_officer).exists()


def test_the_teacher_with_an_account_is_reminded_too(
    django_capture_on_commit_callbacks, found, care_officer, school_clerk
):
    # given the case assigned to a teacher's account, its next step (a contact) due 29 September
    from .. import services

    services.case_assign(
        case=found,
        actor=care_officer,
        version=found.version,
        on=FOUND_ON,
        teacher=school_clerk,
        village_cadre="村支书 张三",
    )
    found.refresh_from_db()
    assert found.deadline == D(2025, 9, 25)
    # when the job runs the day before
    _run(django_capture_on_commit_callbacks, D(2025, 9, 24))
    # then both the officer and the teacher (the school's clerk here) are reminded, once each
    assert _notices(school_clerk, "task").count() == 1
    assert _notices(care_officer, "task").count() == 1


def test_an_overdue_case_goes_to_the_town_then_the_bureau_counting_working_days(
    django_capture_on_commit_callbacks, found, town_officer, district_admin
):
    # when the deadline (24 September) has passed by a working day
    stats = _run(django_capture_on_commit_callbacks, D(2025, 9, 25))
    case = DropoutCase.objects.get(pk=found.pk)
    # then the case goes to the town by itself, its status untouched, the step logged
    assert (case.escalation, case.escalated_on, case.status) == (
        CaseEscalation.TOWN,
        D(2025, 9, 25),
        CaseStatus.FOUND,
    )
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.AUTO_ESCALATED)
    assert event.actor is None
    assert "已报镇街教育办" in event.note
    assert (
        AuditEvent.objects.filter(summary="控辍保学个案：逾期自动升级（已报镇街教育办）").count()
        == 1
    )
    assert stats.escalated == 1
    assert _notices(town_officer, "escalated").count() == 1
    assert not _notices(district_admin).exists()
    # when it runs again that day, and on 9 October: 6 working days late (1–8 October are
    # holidays, 28 September a worked Sunday), not yet the 10 that take it to the bureau
    assert _run(django_capture_on_commit_callbacks, D(2025, 9, 25)).escalated == 0
    assert _run(django_capture_on_commit_callbacks, D(2025, 10, 9)).escalated == 0
    assert DropoutCase.objects.get(pk=found.pk).escalation == CaseEscalation.TOWN
    # when it runs on 15 October: 11 working days late (11 October a worked Saturday)
    assert _run(django_capture_on_commit_callbacks, D(2025, 10, 15)).escalated == 1
    # then the bureau is told, once; the town's notice is not sent again
    assert DropoutCase.objects.get(pk=found.pk).escalation == CaseEscalation.DISTRICT
    assert _notices(district_admin, "escalated").count() == 1
    assert _notices(town_officer, "escalated").count() == 1
    assert CaseEvent.objects.filter(case=found, kind=CaseEventKind.AUTO_ESCALATED).count() == 2
    assert _run(django_capture_on_commit_callbacks, D(2025, 10, 16)).escalated == 0


def test_a_town_notice_past_its_return_date_goes_to_the_bureau(
    django_capture_on_commit_callbacks, pupil, care_officer, town_officer, district_admin
):
    # given a case the town escalated with a notice (return date 15 working days on)
    case = walk(
        open_case(pupil, care_officer), care_officer, CaseStatus.ESCALATED_TOWN, town_officer
    )
    assert case.escalation == CaseEscalation.TOWN
    # when the job runs the day after the return date
    stats = _run(django_capture_on_commit_callbacks, case.deadline + dt.timedelta(days=1))
    # then the bureau takes it over and is told
    case.refresh_from_db()
    assert (stats.escalated, case.escalation) == (1, CaseEscalation.DISTRICT)
    assert _notices(district_admin, "escalated").count() == 1


def test_cases_with_an_outcome_or_closed_are_left_alone(
    django_capture_on_commit_callbacks, pupil, care_officer, town_officer
):
    # given a case back at school long ago
    walk(open_case(pupil, care_officer), care_officer, CaseStatus.RETURNED)
    # when the job runs months later
    stats = _run(django_capture_on_commit_callbacks, D(2026, 3, 2))
    # then nothing is raised or sent
    assert (stats.escalated, stats.reminders) == (0, 0)
    assert not Notification.objects.exists()


def test_the_command_prints_what_it_did(found, capsys):
    call_command("follow_up_cases", "--today", "2025-09-25")
    assert capsys.readouterr().out.strip() == "升级 1 个个案；发送待办提醒 0 条，逾期提醒 0 条。"


def _reminded(capture, today) -> list[str]:
    """Run the job twice on `today`; who holds a 待办, checking each holds only one."""
    first = _run(capture, today)
    assert _run(capture, today).reminders == 0
    names = list(
        Notification.objects.filter(kind="task")
        .order_by("recipient__username")
        .values_list("recipient__username", flat=True)
    )
    assert first.reminders == len(names)
    return names


@pytest.fixture
def everyone(care_officer, school_clerk, town_officer, district_admin, outsider):
    """The school's care roles, the town office, the bureau and another town's school."""


@pytest.mark.usefixtures("everyone")
def test_a_step_due_at_its_school_is_reminded_to_the_school_only(
    django_capture_on_commit_callbacks, found
):
    # when the job runs the day before the 班主任 is due (24 September)
    reminded = _reminded(django_capture_on_commit_callbacks, D(2025, 9, 23))
    # then the school's care roles, and no one above it
    assert reminded == ["care_officer", "school_clerk"]


@pytest.mark.usefixtures("everyone")
def test_a_case_the_town_took_up_reminds_the_town_office_and_the_school(
    django_capture_on_commit_callbacks, pupil, care_officer, town_officer
):
    # given the town's 限期返校通知书 (return date 17 October)
    case = walk(
        open_case(pupil, care_officer), care_officer, CaseStatus.ESCALATED_TOWN, town_officer
    )
    assert case.deadline == D(2025, 10, 17)
    # when the job runs the day before
    reminded = _reminded(django_capture_on_commit_callbacks, D(2025, 10, 16))
    # then the town office acting on it, and the school's care roles, as the transfer notice
    assert reminded == ["care_officer", "school_clerk", "town_officer"]


@pytest.mark.usefixtures("everyone")
def test_a_case_the_bureau_took_up_reminds_the_bureau_and_the_school(
    django_capture_on_commit_callbacks, pupil, care_officer, town_officer
):
    # given the case reported on to the bureau (its decision due 20 working days on)
    case = walk(
        open_case(pupil, care_officer), care_officer, CaseStatus.ESCALATED_DISTRICT, town_officer
    )
    assert case.deadline == D(2025, 10, 24)
    reminded = _reminded(django_capture_on_commit_callbacks, D(2025, 10, 23))
    # then the bureau and the school's care roles; the town office, passed over, is not
    assert reminded == ["care_officer", "district_admin", "school_clerk"]


@pytest.mark.usefixtures("everyone")
def test_a_case_the_job_raised_to_the_town_reminds_the_town_office_too(
    django_capture_on_commit_callbacks, found, care_officer
):
    # given the case raised to the town by the job on 25 September, its status unchanged,
    # then assigned by the school that day (a contact due 29 September, the 28th worked)
    _run(django_capture_on_commit_callbacks, D(2025, 9, 25))
    found.refresh_from_db()
    from .. import services

    services.case_assign(
        case=found,
        actor=care_officer,
        version=found.version,
        on=D(2025, 9, 25),
        teacher_name="李老师",
        village_cadre="村支书 张三",
    )
    found.refresh_from_db()
    assert (found.status, found.escalation) == (CaseStatus.ASSIGNED, CaseEscalation.TOWN)
    assert found.deadline == D(2025, 9, 29)
    # when the job runs the day before
    reminded = _reminded(django_capture_on_commit_callbacks, D(2025, 9, 28))
    # then the town office overseeing it as well as the school
    assert reminded == ["care_officer", "school_clerk", "town_officer"]


@pytest.mark.usefixtures("everyone")
def test_a_case_raised_to_the_bureau_with_its_status_unchanged_reminds_the_bureau_too(
    django_capture_on_commit_callbacks, found
):
    # given the case raised to the bureau as the job raises it (the level only, the status
    # unchanged), set directly here, then a new deadline for the school's step (as after a
    # change of people)
    DropoutCase.objects.filter(pk=found.pk).update(
        escalation=CaseEscalation.DISTRICT, deadline=D(2025, 10, 20)
    )
    reminded = _reminded(django_capture_on_commit_callbacks, D(2025, 10, 17))
    assert reminded == ["care_officer", "district_admin", "school_clerk"]


def _overdue(capture, today) -> tuple[int, list[str]]:
    """Run the job twice on `today`: its count of 逾期提醒, and who got one that day."""
    overdue = Notification.objects.filter(title__startswith="逾期未办")
    before = set(overdue.values_list("pk", flat=True))
    stats = _run(capture, today)
    assert _run(capture, today).overdue == 0
    new = overdue.exclude(pk__in=before).order_by("recipient__username")
    return stats.overdue, list(new.values_list("recipient__username", flat=True))


@pytest.mark.usefixtures("everyone")
def test_a_step_left_overdue_is_reminded_every_five_working_days(
    django_capture_on_commit_callbacks, found
):
    run = partial(_overdue, django_capture_on_commit_callbacks)
    # the 班主任 was due 24 September; the job raises the case to the town on the 25th, and
    # its notice is all that day brings
    assert run(D(2025, 9, 25)) == (0, [])
    # 4 working days after that notice (1–8 October are holidays, 28 September worked)
    assert run(D(2025, 10, 8)) == (0, [])
    # 5 working days after it: the school and the town office overseeing the case
    assert run(D(2025, 10, 9)) == (3, ["care_officer", "school_clerk", "town_officer"])
    notice = Notification.objects.filter(title__startswith="逾期未办").first()
    assert "已逾期 6 个工作日" in notice.body  # counted from the deadline
    assert run(D(2025, 10, 10)) == (0, [])
    # raised to the bureau on 15 October: its escalation notice, no 逾期提醒 on top
    assert run(D(2025, 10, 15)) == (0, [])
    # 5 working days after that: the school and the bureau; the town, passed over, not
    assert run(D(2025, 10, 22)) == (3, ["care_officer", "district_admin", "school_clerk"])


@pytest.mark.usefixtures("everyone")
def test_a_decision_the_bureau_leaves_overdue_is_reminded_again_and_again(
    django_capture_on_commit_callbacks, pupil, care_officer, town_officer
):
    # given the case reported to the bureau, its decision due 24 October and not taken
    case = walk(
        open_case(pupil, care_officer), care_officer, CaseStatus.ESCALATED_DISTRICT, town_officer
    )
    assert case.deadline == D(2025, 10, 24)
    # when the job runs daily up to 5 working days past the deadline
    for day in (27, 28, 29, 30):
        assert _run(django_capture_on_commit_callbacks, D(2025, 10, day)).overdue == 0
    assert _run(django_capture_on_commit_callbacks, D(2025, 10, 31)).overdue == 3
    # then the bureau and the school are told how late it is, without the child's name
    notices = Notification.objects.filter(title__startswith="逾期未办").order_by(
        "recipient__username"
    )
    assert [n.recipient.username for n in notices] == [
        "care_officer",
        "district_admin",
        "school_clerk",
    ]
    body = notices[0].body
    assert "2025年10月24日" in body and "已逾期 5 个工作日" in body
    assert "王小明" not in notices[0].title + body
    assert notices[0].url == f"/care/cases/{case.pk}/"
    # and again 5 working days on, each once however often the job runs
    for day in (3, 4, 5, 6, 7, 7):
        _run(django_capture_on_commit_callbacks, D(2025, 11, day))
    assert Notification.objects.filter(title__startswith="逾期未办").count() == 6


@pytest.mark.usefixtures("everyone")
def test_a_step_taken_late_starts_its_own_rounds(django_capture_on_commit_callbacks, found):
    run = partial(_overdue, django_capture_on_commit_callbacks)
    # given the 班主任 step reminded as overdue on 9 October (raised to the town on 25 September)
    assert run(D(2025, 9, 25)) == (0, [])
    assert run(D(2025, 10, 9))[0] == 3
    # when the school names the people that day: the first contact is due 13 October
    from .. import services

    found.refresh_from_db()
    services.case_assign(
        case=found,
        actor=found.opened_by,
        version=found.version,
        on=D(2025, 10, 9),
        teacher_name="李老师",
        village_cadre="村支书 张三",
    )
    found.refresh_from_db()
    assert (found.status, found.deadline) == (CaseStatus.ASSIGNED, D(2025, 10, 13))
    # then nothing the next days, nor while the contact is under 5 working days late
    for day in (10, 13, 14, 17):
        assert run(D(2025, 10, day)) == (0, [])
    # and the contact step is reminded in its own right once 5 working days late
    assert run(D(2025, 10, 20)) == (3, ["care_officer", "school_clerk", "town_officer"])
    notice = Notification.objects.filter(title__startswith="逾期未办").latest("pk")
    assert "2025年10月13日" in notice.body and "已逾期 5 个工作日" in notice.body
    assert "已指定责任人，待劝返" in notice.title


@pytest.mark.django_db(transaction=True)  # each job commits, as on a server
def test_the_daily_run_follows_up_the_cases_and_e_mails_the_notices(
    found, town_officer, district_admin, mailoutbox
):
    district_admin.email = "bureau@example.cn"
    district_admin.save(update_fields=["email"])
    # the daily timer's run, on the real today: the 班主任 due 24 September 2025 is long
    # overdue, so the case goes straight to the bureau
    call_command("run_daily_jobs", stdout=io.StringIO())
    found.refresh_from_db()
    assert found.escalation == CaseEscalation.DISTRICT
    assert _notices(district_admin, "escalated").count() == 1
    assert not _notices(town_officer, "escalated").exists()
    # and its e-mail went out in the same run, not on the next day's
    assert [m.to for m in mailoutbox if "逾期升级" in m.subject] == [["bureau@example.cn"]]
