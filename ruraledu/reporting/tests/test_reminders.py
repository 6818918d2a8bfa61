"""Reminders: due soon, overdue and the reviewers' digest, each sent once however often the
daily command runs; e-mails through Django's backend."""

import datetime as dt

import pytest
from django.core.management import call_command

from ruraledu.reporting import services
from ruraledu.reporting.choices import EmailStatus, NotificationKind
from ruraledu.reporting.models import CalendarDay, Notification
from ruraledu.reporting.reminders import reminders_send

from .conftest import fill

D = dt.date


@pytest.fixture
def holidays(db):
    CalendarDay.objects.all().delete()
    services.holidays_seed(years=[2026])


@pytest.fixture
def with_emails(department_reporter, school_clerk, district_admin):
    for user, address in (
        (department_reporter, "health@example.org"),
        (school_clerk, "school@example.org"),
        (district_admin, "bureau@example.org"),
    ):
        user.email = address
        user.save()


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_units_are_reminded_before_the_deadline_once(
    holidays, schedule, with_emails, department_reporter, school_clerk, district_admin, mailoutbox
):
    # Q1 2026 is due 2026-04-15; on 04-13 two working days are left
    stats = reminders_send(today=D(2026, 4, 13))
    assert (stats.due_soon, stats.overdue) == (2, 0)
    assert kinds(department_reporter) == [NotificationKind.DUE_SOON]
    assert kinds(school_clerk) == [NotificationKind.DUE_SOON]
    assert kinds(district_admin) == []  # nothing waiting, nothing overdue: no digest
    assert sorted(m.to[0] for m in mailoutbox) == ["health@example.org", "school@example.org"]
    assert "2026年04月15日" in Notification.objects.get(recipient=department_reporter).body
    # when it runs again the same day
    again = reminders_send(today=D(2026, 4, 13))
    # then nothing new is sent
    assert (again.due_soon, again.overdue, again.digests, again.emails) == (0, 0, 0, 0)
    assert len(mailoutbox) == 2


def test_no_reminder_while_the_deadline_is_far(holidays, schedule, department_reporter):
    reminders_send(today=D(2026, 4, 7))  # six working days left
    assert kinds(department_reporter) == []


def test_overdue_units_are_told_once_and_handed_in_ones_not_at_all(
    holidays,
    schedule,
    period,
    with_emails,
    department_reporter,
    department,
    milestone,
    school_clerk,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # given the department handed in, the school did not
    report = services.report_start(
        period=period, actor=department_reporter, department=department, today=D(2026, 4, 1)
    )
    report = fill(report, department_reporter, milestone)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, actor=department_reporter)
    mailoutbox.clear()
    # when the command runs after the deadline, twice
    call_command("send_reminders", "--date", "2026-04-16")
    call_command("send_reminders", "--date", "2026-04-16")
    call_command("send_reminders", "--date", "2026-04-17")
    # then the school is told once, the department not at all
    assert kinds(school_clerk) == [NotificationKind.OVERDUE]
    assert kinds(department_reporter) == []
    assert [m.to for m in mailoutbox].count(["school@example.org"]) == 1


def test_the_reviewers_digest_comes_once_a_day(holidays, submitted, district_admin):
    reminders_send(today=D(2026, 4, 13))
    reminders_send(today=D(2026, 4, 13))
    reminders_send(today=D(2026, 4, 14))
    digests = Notification.objects.filter(
        recipient=district_admin, kind=NotificationKind.REVIEW_DIGEST
    )
    assert digests.count() == 2
    assert digests.first().title.startswith("进展报告：待审核 1 份")


def test_a_failed_email_is_kept_and_tried_again(
    holidays, schedule, with_emails, department_reporter, settings, mailoutbox
):
    settings.EMAIL_BACKEND = "ruraledu.reporting.tests.test_reminders.BrokenBackend"
    reminders_send(today=D(2026, 4, 13))
    notice = Notification.objects.get(recipient=department_reporter)
    assert notice.email_status == EmailStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminders_send(today=D(2026, 4, 13))
    notice.refresh_from_db()
    assert notice.email_status == EmailStatus.SENT
    assert Notification.objects.filter(recipient=department_reporter).count() == 1


def test_the_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("send_reminders", "--date", "2026-13-01")


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")
