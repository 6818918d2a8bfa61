"""Notifications (in-app, copied by e-mail) and the daily reminders. Every notice has a
dedupe key, unique per recipient, so running the reminders twice sends nothing new."""

import datetime as dt
import logging
from dataclasses import dataclass
from smtplib import SMTPRecipientsRefused
from time import monotonic

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.choices import ROLE_ACTIONS, Action, Role
from ruraledu.accounts.models import RoleAssignment
from ruraledu.accounts.policy import bureau_users
from ruraledu.channels.services import DISTRICT_WIDE, deliveries_queue

from .choices import EmailStatus, NotificationKind
from .models import Notification, ProgressReport

logger = logging.getLogger(__name__)

DUE_SOON_WORKING_DAYS = 3  # remind when the deadline is this many working days away or fewer
RETRY_FAILED_FOR = dt.timedelta(days=3)  # a failed e-mail is tried again by later runs
# a claimed e-mail still unsent after this is taken again; a run sending longer than half
# of it (a slow mail server: 20 s an e-mail) gives the rest back before that can happen
CLAIM_EXPIRES = dt.timedelta(minutes=30)


def _link(path: str) -> str:
    return f"{getattr(settings, 'EMAIL_LINK_BASE_URL', '').rstrip('/')}{path}"


def notify(
    *,
    recipients,
    concerns,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str,
) -> int:
    """Create one notice per recipient unless that recipient already has `dedupe_key`; copy it
    by e-mail when the recipient has an address. `concerns` is the unit or department the
    notice is about (or DISTRICT_WIDE): only its robots (and those above it) hear of it.
    Returns the notices created."""
    recipients = {u.pk: u for u in recipients if u.is_active}
    if not recipients:
        return 0
    already = set(
        Notification.objects.filter(recipient_id__in=recipients, dedupe_key=dedupe_key).values_list(
            "recipient_id", flat=True
        )
    )
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            title=title[:200],
            body=body,
            url=url,
            dedupe_key=dedupe_key[:200],
            email_status=EmailStatus.PENDING if user.email else EmailStatus.NONE,
        )
        for pk, user in recipients.items()
        if pk not in already
    ]
    # A concurrent run may have created some in the meantime: the unique key keeps one.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # the group robots of the recipients' units get the title and the link only
    deliveries_queue(
        user_ids=[r.recipient_id for r in rows],
        concerns=concerns,
        title=title,
        url=url,
        dedupe_key=dedupe_key,
    )
    return len(rows)


def notify_on_commit(*, settles: bool = False, **notice) -> None:
    """`notify(**notice)` once the current transaction commits, so a refused (rolled back)
    step tells no one, and its e-mail goes soon after (not with the next day's reminders).
    `settles`: first mark read the notices of the step before it, which link to the same
    page."""

    def send() -> None:
        if settles:
            settle(url=notice["url"])
        notify(**notice)
        emails_send_soon()

    # robust: the step is committed; a failed notice must not cost the step's other ones
    transaction.on_commit(send, robust=True)


def emails_send_soon() -> None:
    """E-mail the pending notices from the task worker, not in the request that made them:
    a slow or unreachable mail server must not hold up (or time out) the user's page."""
    from .tasks import send_emails

    send_emails.enqueue()


def settle(*, url: str) -> int:
    """Mark read every unread notice linking to `url`: the step they asked for has been taken
    (a ticket answered or closed, a report reviewed), so they no longer wait on anyone."""
    return Notification.objects.filter(url=url, read_at__isnull=True).update(read_at=timezone.now())


@dataclass
class EmailRun:
    """What one run did with the notices it claimed."""

    sent: int = 0
    refused: int = 0  # the server refused the recipient's address: the address is at fault
    failed: int = 0  # anything else (no connection, login refused …): the server is

    def add(self, other: "EmailRun") -> None:
        self.sent, self.refused = self.sent + other.sent, self.refused + other.refused
        self.failed += other.failed


def send_pending_emails(*, limit: int = 500) -> int:
    """E-mail the notices still pending; returns how many went (see `email_pending`)."""
    return email_pending(limit=limit).sent


def email_pending(*, limit: int = 500) -> EmailRun:
    """E-mail the notices still pending. Each run first claims its notices (marks them
    sending) and commits, then sends: no lock is held while a slow mail server answers, and
    two runs at once never send the same notice twice."""
    run, claimed = EmailRun(), _claim_emails(limit)
    stop_at = monotonic() + CLAIM_EXPIRES.total_seconds() / 2
    for at, notice in enumerate(claimed):
        if monotonic() > stop_at:
            _give_back(claimed[at:])
            break
        body = notice.body + (f"\n\n查看：{_link(notice.url)}" if notice.url else "")
        try:
            send_mail(
                subject=f"{settings.EMAIL_SUBJECT_PREFIX}{notice.title}",
                message=body,
                from_email=None,
                recipient_list=[notice.recipient.email],
            )
        except Exception as error:  # the notice stays in the app; the next run tries again
            logger.exception("e-mail for notification %s failed", notice.pk)
            outcome = {"email_status": EmailStatus.FAILED}
            if isinstance(error, SMTPRecipientsRefused):
                run.refused += 1
            else:
                run.failed += 1
        else:
            outcome = {"email_status": EmailStatus.SENT, "emailed_at": timezone.now()}
            run.sent += 1
        # each notice as soon as it is sent: a run that dies later sends it no second time
        Notification.objects.filter(pk=notice.pk, email_status=EmailStatus.SENDING).update(
            **outcome
        )
    return run


def _give_back(unsent: list[Notification]) -> None:
    """Return unsent claims to what they were (held in memory from before the claim): a
    failed e-mail stays failed, so its retry window still ends it."""
    for before in {n.email_status for n in unsent}:
        Notification.objects.filter(
            pk__in=[n.pk for n in unsent if n.email_status == before],
            email_status=EmailStatus.SENDING,
        ).update(email_status=EmailStatus.PENDING if before == EmailStatus.SENDING else before)


def _claim_emails(limit: int) -> list[Notification]:
    """Mark sending (and return) up to `limit` notices to e-mail: the pending, the failed of
    the last days, and those a run claimed but never finished (it died or was killed)."""
    now = timezone.now()
    with transaction.atomic():
        claimed = list(
            # of the notices only: the recipients' rows stay free (a login, a profile save)
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                Q(email_status=EmailStatus.PENDING)
                | Q(email_status=EmailStatus.FAILED, created_at__gte=now - RETRY_FAILED_FOR)
                | Q(email_status=EmailStatus.SENDING, email_claimed_at__lt=now - CLAIM_EXPIRES)
            )
            .select_related("recipient")
            .order_by("pk")[:limit]
        )
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(
            email_status=EmailStatus.SENDING, email_claimed_at=now
        )
    return claimed


# ------------------------------------------------------------------ recipients


def reporters_of(unit) -> list:
    """The users who write a department's or a school's reports."""
    User = get_user_model()
    from ruraledu.orgunits.models import Department

    if isinstance(unit, Department):
        ids = RoleAssignment.objects.filter(department=unit, role=Role.DEPARTMENT_REPORTER).values(
            "user_id"
        )
    else:
        roles = [r for r, actions in ROLE_ACTIONS.items() if Action.CHANGE in actions]
        ids = RoleAssignment.objects.filter(org_unit=unit, role__in=roles).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def reviewers() -> list:
    """The bureau's staff (the policy's `bureau_users`)."""
    return list(bureau_users())


# ------------------------------------------------------------------ workflow notices


def notify_reviewers_of_report(*, report_id: int) -> None:
    report = ProgressReport.objects.select_related("period__project", "department", "org_unit").get(
        pk=report_id
    )
    settle(url=reverse("reporting:report_detail", args=[report.pk]))
    notify(
        recipients=reviewers(),
        concerns=report.reporter,
        kind=NotificationKind.SUBMITTED,
        title=f"待审核：{report}",
        body=f"{report.reporter_name}提交了“{report.period.project.name}”{report.period.label}的进展报告，请审核。",
        url=reverse("reporting:report_detail", args=[report.pk]),
        dedupe_key=f"submitted:{report.pk}:{report.version}",
    )
    emails_send_soon()


def notify_reporters_of_report(*, report_id: int, kind: str) -> None:
    report = ProgressReport.objects.select_related("period__project", "department", "org_unit").get(
        pk=report_id
    )
    if kind == NotificationKind.RETURNED:
        title = f"报告被退回：{report.period.project.name}{report.period.label}"
        body = f"退回原因：{report.return_reason}\n请修改后重新提交。"
    else:
        title = f"报告已通过：{report.period.project.name}{report.period.label}"
        body = "区教体局已审核通过您的进展报告，报告已锁定。" + (
            f"\n审核意见：{report.review_comment}" if report.review_comment else ""
        )
    settle(url=reverse("reporting:report_detail", args=[report.pk]))
    notify(
        recipients=reporters_of(report.reporter),
        concerns=report.reporter,
        kind=kind,
        title=title,
        body=body,
        url=reverse("reporting:report_detail", args=[report.pk]),
        dedupe_key=f"{kind}:{report.pk}:{report.version}",
    )
    emails_send_soon()


# ------------------------------------------------------------------ daily reminders


@dataclass
class ReminderStats:
    periods_created: int = 0
    due_soon: int = 0
    overdue: int = 0
    digests: int = 0
    emails: int = 0

    def __str__(self) -> str:
        return (
            f"新增报告期 {self.periods_created} 个；即将截止提醒 {self.due_soon} 条；"
            f"逾期提醒 {self.overdue} 条；审核汇总 {self.digests} 条；发送邮件 {self.emails} 封"
        )


def reminders_send(*, today: dt.date | None = None) -> ReminderStats:
    """The daily job: new periods, "due soon" and "overdue" notices to the reporters of each
    unit that has not handed in, a digest for the reviewers, then the e-mails. Each notice
    carries a key (period and unit, or the day for the digest): a second run adds nothing."""
    from . import selectors, services
    from .workdays import WorkingCalendar

    today = today or timezone.localdate()
    stats = ReminderStats(periods_created=services.periods_sync_all(today=today))
    rows = selectors.expected_reports(today=today)
    calendar = WorkingCalendar.load(range(today.year, today.year + 2))
    my_reports = reverse("reporting:my_reports")
    for row in rows:
        if row.handed_in or row.period.ends_on >= today:
            continue
        label = f"“{row.period.project.name}”{row.period.label}"
        deadline = f"{row.period.deadline:%Y年%m月%d日}"
        if row.is_overdue(today):
            stats.overdue += notify(
                recipients=reporters_of(row.unit),
                concerns=row.unit,
                kind=NotificationKind.OVERDUE,
                title=f"进展报告已逾期：{label}",
                body=f"{row.unit}的{label}进展报告截止日期为{deadline}，至今尚未提交，请尽快填报。",
                url=my_reports,
                dedupe_key=f"overdue:{row.period.pk}:{row.unit_key}",
            )
        elif calendar.working_days_between(today, row.period.deadline) <= DUE_SOON_WORKING_DAYS:
            stats.due_soon += notify(
                recipients=reporters_of(row.unit),
                concerns=row.unit,
                kind=NotificationKind.DUE_SOON,
                title=f"进展报告即将截止：{label}",
                body=f"{row.unit}的{label}进展报告将于{deadline}截止，请按时提交。",
                url=my_reports,
                dedupe_key=f"due_soon:{row.period.pk}:{row.unit_key}",
            )
    waiting = selectors.waiting_reports().count()
    overdue = sum(1 for row in rows if not row.handed_in and row.is_overdue(today))
    if waiting or overdue:
        stats.digests += notify(
            recipients=reviewers(),
            concerns=DISTRICT_WIDE,  # counts over every unit: no one unit's business
            kind=NotificationKind.REVIEW_DIGEST,
            title=f"进展报告：待审核 {waiting} 份，逾期未报 {overdue} 份",
            body=f"截至{today:%Y年%m月%d日}，待审核的进展报告 {waiting} 份，逾期未报 {overdue} 份。",
            url=reverse("reporting:review_queue"),
            dedupe_key=f"digest:{today.isoformat()}",
        )
    stats.emails = send_pending_emails()
    return stats
