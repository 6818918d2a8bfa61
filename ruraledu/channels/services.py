"""Queue each notice for the group robots of those of its recipients' units that it concerns,
and send them with retries and exponential back-off. A message carries the scrubbed title and
a link only."""

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ruraledu.accounts.models import RoleAssignment
from ruraledu.orgunits.models import Department, OrgUnit

from . import senders
from .choices import DeliveryStatus
from .models import ChannelDelivery, WebhookChannel
from .privacy import scrub

logger = logging.getLogger(__name__)

# a claimed message is not picked up again by another run for this long
CLAIM_SECONDS = 120


def max_attempts() -> int:
    return getattr(settings, "CHANNEL_MAX_ATTEMPTS", 6)


def retry_base() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "CHANNEL_RETRY_BASE_SECONDS", 30))


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failure: base, 2×base, 4×base …"""
    return retry_base() * 2 ** max(attempts - 1, 0)


# `concerns` of a notice about no one unit (a digest of the whole district): it goes to the
# robots of every unit and department its recipients hold a role on
DISTRICT_WIDE = "district-wide"


def _line_of(unit: OrgUnit) -> Q:
    """Roles on the unit or a unit above it (its path holds their codes)."""
    return Q(org_unit__code__in=unit.path.rstrip("/").split("/"))


def _concerned(concerns) -> Q:
    """The roles whose robots may hear of a notice about `concerns`: a unit's own and those
    above it (a town hears of its schools, a school never of another school); a department's
    own and its bureau's (the unit owning it, or the tree's root when it has no owner)."""
    if isinstance(concerns, Department):
        if concerns.org_unit_id:
            above = _line_of(concerns.org_unit)
        else:
            above = Q(org_unit__isnull=False, org_unit__parent__isnull=True)
        return Q(department=concerns) | above
    if isinstance(concerns, OrgUnit):
        return _line_of(concerns)
    raise TypeError(f"a notice concerns an OrgUnit, a Department or DISTRICT_WIDE: {concerns!r}")


def channels_of_users(user_ids, *, concerns) -> list[WebhookChannel]:
    """The active channels of the org units and departments the users hold a role on, among
    those `concerns` allows (all of them for DISTRICT_WIDE)."""
    assignments = RoleAssignment.objects.filter(user_id__in=list(user_ids))
    if concerns != DISTRICT_WIDE:
        assignments = assignments.filter(_concerned(concerns))
    return list(
        WebhookChannel.objects.filter(is_active=True).filter(
            Q(org_unit_id__in=assignments.exclude(org_unit=None).values("org_unit_id"))
            | Q(department_id__in=assignments.exclude(department=None).values("department_id"))
        )
    )


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{getattr(settings, 'EMAIL_LINK_BASE_URL', '').rstrip('/')}{url}"


def deliveries_queue(*, user_ids, concerns, title: str, url: str, dedupe_key: str) -> int:
    """Queue one message per channel of the users' units that `concerns` allows (not per
    user); sent after commit. Returns the messages queued."""
    user_ids = list(user_ids)
    if not user_ids:
        return 0
    channels = channels_of_users(user_ids, concerns=concerns)
    if not channels:
        return 0
    clean_title, redacted = scrub(title)
    rows = [
        ChannelDelivery(
            channel=channel,
            dedupe_key=dedupe_key[:200],
            title=clean_title[:200],
            url=_absolute(url)[:300],
            redacted=redacted,
        )
        for channel in channels
    ]
    ChannelDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(partial(_enqueue_due))
    return len(rows)


def _enqueue_due(run_after: dt.datetime | None = None) -> None:
    from django_tasks import default_task_backend

    from .tasks import send_due_deliveries

    task = send_due_deliveries
    if run_after is not None:
        if not default_task_backend.supports_defer:
            return  # the periodic `channels_send` command picks it up
        task = task.using(run_after=run_after)
    task.enqueue()


def _claim(delivery: ChannelDelivery, now: dt.datetime) -> bool:
    """Take the message for this run (another run at the same time gets 0 rows)."""
    return bool(
        ChannelDelivery.objects.filter(
            pk=delivery.pk,
            next_attempt_at=delivery.next_attempt_at,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
        ).update(next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))
    )


def delivery_attempt(*, delivery: ChannelDelivery, now: dt.datetime | None = None) -> bool:
    """Send once. A failure is recorded with its error; the message waits `backoff` before the
    next try and is given up (status 发送失败) after `max_attempts` tries."""
    now = now or timezone.now()
    channel = delivery.channel
    body = senders.payload(
        kind=channel.kind, markdown=channel.markdown, title=delivery.title, link=delivery.url
    )
    delivery.attempts += 1
    try:
        senders.post(kind=channel.kind, url=channel.url, secret=channel.secret, body=body)
    except senders.SendError as error:
        delivery.last_error = str(error)[:500]
        if delivery.attempts >= max_attempts():
            delivery.status = DeliveryStatus.FAILED
            logger.warning("channel message %s given up: %s", delivery.pk, error)
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = now + backoff(delivery.attempts)
    else:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = now
        delivery.last_error = ""
    delivery.save(update_fields=["attempts", "status", "next_attempt_at", "last_error", "sent_at"])
    return delivery.status == DeliveryStatus.SENT


def deliveries_send_due(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Send the messages whose time has come; schedule the next run for those that wait.
    Returns the messages sent."""
    now = now or timezone.now()
    due = list(
        ChannelDelivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
            next_attempt_at__lte=now,
            channel__is_active=True,
        )
        .select_related("channel")
        .order_by("next_attempt_at", "pk")[:limit]
    )
    sent = sum(delivery_attempt(delivery=d, now=now) for d in due if _claim(d, now))
    waiting = (
        ChannelDelivery.objects.filter(status=DeliveryStatus.RETRYING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if waiting is not None and waiting > now:
        _enqueue_due(run_after=waiting)
    return sent
