"""The login lock: django-axes records the failures, this module decides how long they lock.

Failures count per account (username), whatever address they come from. After
LOGIN_FAILURE_LIMIT failures the account is locked for LOGIN_LOCK_MINUTES after the last one;
every further failure doubles the delay, up to LOGIN_LOCK_MAX_MINUTES. So a guesser gets a
handful of tries an hour, while someone failing on purpose keeps the owner out for at most the
maximum after the last failure, and a bureau administrator can lift the lock at once.
A second layer refuses an address that failed LOGIN_ADDRESS_FAILURE_LIMIT times within
LOGIN_ADDRESS_WINDOW on any accounts (one machine trying many accounts).
"""

import datetime as dt
from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.shortcuts import render
from django.utils import timezone

ZERO = dt.timedelta(0)


def lock_delay(failures: int) -> dt.timedelta:
    """How long an account stays locked after its `failures`-th failure in a row."""
    extra = failures - settings.LOGIN_FAILURE_LIMIT
    if extra < 0:
        return ZERO
    minutes = settings.LOGIN_LOCK_MINUTES * 2 ** min(extra, 20)
    return dt.timedelta(minutes=min(minutes, settings.LOGIN_LOCK_MAX_MINUTES))


def whole_minutes(delta: dt.timedelta) -> int:
    """`delta` in minutes, rounded up, at least 1 (for "about N minutes" on the pages)."""
    return max(1, -(-int(delta.total_seconds()) // 60))


@dataclass(frozen=True)
class AccountLock:
    """The failures remembered for one username and the lock they cause."""

    username: str
    failures: int
    last_failure: dt.datetime
    addresses: int

    @property
    def until(self) -> dt.datetime:
        return self.last_failure + lock_delay(self.failures)

    def remaining(self, now: dt.datetime) -> dt.timedelta:
        return max(self.until - now, ZERO)


def _remembered(now: dt.datetime):
    return AccessAttempt.objects.filter(attempt_time__gte=now - get_cool_off())


def account_locks(*, username: str | None = None, now: dt.datetime | None = None):
    """Accounts locked at `now` (one username only if given), the longest lock first."""
    now = now or timezone.now()
    attempts = _remembered(now)
    if username is not None:
        attempts = attempts.filter(username=username)
    rows = (
        attempts.exclude(username=None)
        .values("username")
        .annotate(
            failures=Sum("failures_since_start"),
            last_failure=Max("attempt_time"),
            addresses=Count("ip_address", distinct=True),
        )
        .filter(failures__gte=settings.LOGIN_FAILURE_LIMIT)
    )
    locks = [AccountLock(**row) for row in rows]
    return sorted((x for x in locks if x.remaining(now)), key=lambda x: x.until, reverse=True)


def address_failures(address: str | None, now: dt.datetime | None = None) -> int:
    """Failures from one address on any accounts within the address window."""
    if not address:
        return 0
    now = now or timezone.now()
    recent = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=now - settings.LOGIN_ADDRESS_WINDOW
    )
    return recent.aggregate(n=Sum("failures_since_start"))["n"] or 0


def throttled_addresses(now: dt.datetime | None = None) -> list[tuple[str, int]]:
    """(address, failures) of the addresses refused now."""
    now = now or timezone.now()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=now - settings.LOGIN_ADDRESS_WINDOW)
        .exclude(ip_address=None)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.LOGIN_ADDRESS_FAILURE_LIMIT)
        .order_by("-failures")
    )
    return [(row["ip_address"], row["failures"]) for row in rows]


class GrowingLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the lock decided by `lock_delay` and the address layer."""

    def is_locked(self, request, credentials=None) -> bool:
        username = get_client_username(request, credentials)
        if username is not None and account_locks(username=username):
            return True
        address = getattr(request, "axes_ip_address", None)
        return address_failures(address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of logging in while locked (status 429)."""
    username = get_client_username(request, credentials)
    locks = account_locks(username=username) if username else []
    remaining = locks[0].remaining(timezone.now()) if locks else settings.LOGIN_ADDRESS_WINDOW
    context = {
        "minutes": whole_minutes(remaining),
        "max_minutes": settings.LOGIN_LOCK_MAX_MINUTES,
        "by_address": not locks,
    }
    return render(request, "accounts/locked_out.html", context, status=429)
