"""Notices' e-mails: a run claims its notices and commits before it sends, so no lock is held
while a mail server answers; a run that died leaves its claims to a later one."""

import datetime as dt
import io
from smtplib import SMTPRecipientsRefused

import pytest
from django.core import mail
from django.utils import timezone

from ruraledu.channels.services import DISTRICT_WIDE
from ruraledu.reporting import reminders
from ruraledu.reporting.choices import EmailStatus, NotificationKind
from ruraledu.reporting.models import Notification
from ruraledu.reporting.reminders import notify, send_pending_emails


@pytest.fixture
def notices(school_clerk, district_admin):
    for user, address in ((school_clerk, "school@example.org"), (district_admin, "bureau@e.org")):
        user.email = address
        user.save()
    notify(
        recipients=[school_clerk, district_admin],
        concerns=DISTRICT_WIDE,
        kind=NotificationKind.COMPLAINT,
        title="热线工单",
        dedupe_key="claims",
    )
    return Notification.objects.order_by("pk")


class SeeingBackend:
    """Notes each notice's e-mail status as stored while its e-mail is being sent."""

    seen: list[str] = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        address = messages[0].to[0]
        notice = Notification.objects.get(recipient__email=address)
        SeeingBackend.seen.append(notice.email_status)
        mail.outbox.extend(messages)
        return len(messages)


def test_notices_are_claimed_before_their_emails_go(notices, settings, mailoutbox):
    settings.EMAIL_BACKEND = "ruraledu.reporting.tests.test_email_claims.SeeingBackend"
    SeeingBackend.seen = []
    assert send_pending_emails() == 2
    # while sending, both were already marked as taken by this run
    assert SeeingBackend.seen == [EmailStatus.SENDING, EmailStatus.SENDING]
    assert sorted(m.to[0] for m in mailoutbox) == ["bureau@e.org", "school@example.org"]
    assert set(notices.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    assert all(n.emailed_at for n in notices)


def test_a_dead_runs_claims_are_taken_again_only_once_they_expire(notices, mailoutbox):
    first, second = notices
    now = timezone.now()
    Notification.objects.filter(pk=first.pk).update(
        email_status=EmailStatus.SENDING, email_claimed_at=now - dt.timedelta(minutes=31)
    )
    Notification.objects.filter(pk=second.pk).update(
        email_status=EmailStatus.SENDING, email_claimed_at=now - dt.timedelta(minutes=5)
    )
    # the first was left by a run that died; the second is another run's, still at work
    assert send_pending_emails() == 1
    assert [m.to[0] for m in mailoutbox] == [first.recipient.email]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.email_status, second.email_status) == (EmailStatus.SENT, EmailStatus.SENDING)


def test_a_run_out_of_time_gives_back_what_it_did_not_send(notices, monkeypatch, mailoutbox):
    # the clock: the run starts at 0, the first e-mail at 1 s, the second past half the expiry
    ticks = iter([0.0, 1.0, reminders.CLAIM_EXPIRES.total_seconds()])
    monkeypatch.setattr(reminders, "monotonic", lambda: next(ticks))
    assert send_pending_emails() == 1
    first, second = notices
    assert (first.email_status, second.email_status) == (EmailStatus.SENT, EmailStatus.PENDING)
    assert len(mailoutbox) == 1
    # and the next run sends the rest
    monkeypatch.undo()
    assert send_pending_emails() == 1
    assert len(mailoutbox) == 2


def test_a_failed_email_given_back_stays_failed(notices, monkeypatch, mailoutbox):
    # given the second notice's e-mail failed before
    first, second = notices
    Notification.objects.filter(pk=second.pk).update(email_status=EmailStatus.FAILED)
    ticks = iter([0.0, 1.0, reminders.CLAIM_EXPIRES.total_seconds()])
    monkeypatch.setattr(reminders, "monotonic", lambda: next(ticks))
    # when a run out of time gives it back unsent
    assert send_pending_emails() == 1
    second.refresh_from_db()
    # then it is failed still: its retry window, not the give-back, decides whether it goes
    assert second.email_status == EmailStatus.FAILED


def test_the_daily_send_takes_batch_after_batch_until_none_is_left(
    notices, school_clerk, monkeypatch
):
    # given three pending notices and batches of one (500 on a server)
    from django.core.management import call_command

    from ruraledu.reporting.management.commands import send_emails

    notify(
        recipients=[school_clerk],
        concerns=DISTRICT_WIDE,
        kind=NotificationKind.COMPLAINT,
        title="第三条",
        dedupe_key="third",
    )
    monkeypatch.setattr(send_emails, "BATCH", 1)
    out = io.StringIO()
    # when the command runs once
    call_command("send_emails", stdout=out)
    # then every notice went, in one run
    assert out.getvalue().strip() == "发送邮件 3 封。"
    assert len(mail.outbox) == 3
    assert not Notification.objects.exclude(email_status=EmailStatus.SENT).exists()


class RefusingBackend:
    """A mail server that cannot be reached (`refused` is None) or refuses the addresses in
    `refused`, as smtplib says either."""

    refused: set[str] | None = None

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        address = messages[0].to[0]
        if RefusingBackend.refused is None:
            raise ConnectionRefusedError("mail server unreachable")
        if address in RefusingBackend.refused:
            raise SMTPRecipientsRefused({address: (550, b"no such mailbox")})
        mail.outbox.extend(messages)
        return len(messages)


def test_the_daily_send_fails_when_the_mail_server_refuses_everything(notices, settings):
    from django.core.management import CommandError, call_command

    settings.EMAIL_BACKEND = "ruraledu.reporting.tests.test_email_claims.RefusingBackend"
    RefusingBackend.refused = None
    # when the daily run meets a server that takes nothing
    with pytest.raises(CommandError) as failed:
        call_command("send_emails", stdout=io.StringIO())
    # then it ends failed (the timer's unit shows it), saying what to check
    assert str(failed.value) == (
        "2 封邮件发送失败，一封也未发出，请检查邮件服务器设置（EMAIL_HOST 等）。"
        "通知仍在平台内，下次运行时重试。"
    )
    assert set(notices.values_list("email_status", flat=True)) == {EmailStatus.FAILED}
    # and once the server is back, the next run sends them
    RefusingBackend.refused = set()
    out = io.StringIO()
    call_command("send_emails", stdout=out)
    assert out.getvalue().strip() == "发送邮件 2 封。"
    assert set(notices.values_list("email_status", flat=True)) == {EmailStatus.SENT}


def test_one_refused_address_does_not_fail_the_daily_send(notices, settings):
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "ruraledu.reporting.tests.test_email_claims.RefusingBackend"
    RefusingBackend.refused = {"school@example.org"}
    out = io.StringIO()
    call_command("send_emails", stdout=out)
    assert out.getvalue().splitlines() == ["发送邮件 1 封。", "另有 1 封发送失败，下次运行时重试。"]
    assert [m.to for m in mail.outbox] == [["bureau@e.org"]]


def test_a_refused_address_retried_alone_does_not_fail_the_daily_send(notices, settings):
    """The daily run's earlier jobs send the day's e-mails; `send_emails` may then be left
    with only the retry of an address the server refuses: that is no server fault."""
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "ruraledu.reporting.tests.test_email_claims.RefusingBackend"
    RefusingBackend.refused = {"school@example.org"}
    assert send_pending_emails() == 1  # as `send_reminders` does earlier in the run
    out = io.StringIO()
    call_command("send_emails", stdout=out)
    assert out.getvalue().splitlines() == ["发送邮件 0 封。", "另有 1 封发送失败，下次运行时重试。"]
