"""Reminders before a rectification deadline: a pending item whose deadline is a set number of
working days away (or fewer, and not yet past) is brought to its school's clerks and its 挂牌
inspector. Run daily with the escalation; a second run sends nothing new (one dedupe key per
item and deadline)."""

import datetime as dt

from django.db import transaction

from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.reminders import notify
from ruraledu.reporting.workdays import WorkingCalendar

from ..choices import PENDING_STATUSES
from ..conf import remind_days
from ..models import RectificationItem
from .recipients import school_clerks, school_inspectors


def _recipients(item) -> list:
    """The school's clerks and its current 挂牌 inspector(s)."""
    return [*school_clerks(item.school), *school_inspectors(item.school)]


def items_remind(*, today: dt.date) -> int:
    """Remind of every pending item due within the reminder period; returns notices sent."""
    days = remind_days()
    calendar = WorkingCalendar.load(range(today.year, today.year + 2))
    horizon, _provisional = calendar.add_working_days(today, days)
    items = (
        RectificationItem.objects.filter(
            status__in=PENDING_STATUSES, deadline__gte=today, deadline__lte=horizon
        )
        .select_related("school__org_unit")
        .order_by("deadline", "pk")
    )
    sent = 0
    with transaction.atomic():
        for item in items:
            left = calendar.working_days_between(today, item.deadline)
            when = "今天" if item.deadline == today else f"还有 {left} 个工作日"
            sent += notify(
                recipients=_recipients(item),
                concerns=item.school.org_unit,
                kind=NotificationKind.TASK,
                title=f"整改期限将到：{item.school} {item.area}（期限 {item.deadline}，{when}）",
                body=item.description,
                url=f"/supervision/items/{item.pk}/",
                dedupe_key=f"supervision-item-{item.pk}-due-{item.deadline.isoformat()}",
            )
    return sent
