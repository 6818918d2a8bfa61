"""Overdue items go up: to the town office after a number of working days past the deadline,
then to the bureau's 督导室. Run daily (escalate_rectification); running twice changes nothing."""

import datetime as dt
from functools import cache

from django.db import transaction

from ruraledu.accounts.choices import Role
from ruraledu.accounts.models import RoleAssignment
from ruraledu.accounts.policy import bureau_users
from ruraledu.audit.services import snapshot
from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.reminders import notify
from ruraledu.reporting.workdays import WorkingCalendar

from ..choices import PENDING_STATUSES, Escalation, ItemEventKind
from ..conf import escalate_bureau_days, escalate_town_days
from ..models import RectificationItem
from .rectification import _step


def _town_officers(town_id):
    from django.contrib.auth import get_user_model

    ids = RoleAssignment.objects.filter(role=Role.TOWN_OFFICER, org_unit_id=town_id).values(
        "user_id"
    )
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def level_due(deadline: dt.date, today: dt.date, calendar: WorkingCalendar) -> int:
    """The escalation an item deserves today (0 while not overdue long enough)."""
    late = calendar.working_days_between(deadline, today)
    if late >= escalate_bureau_days():
        return Escalation.BUREAU
    if late >= escalate_town_days():
        return Escalation.TOWN
    return Escalation.NONE


@transaction.atomic
def items_escalate(*, today: dt.date) -> int:
    """Raise every overdue pending item to the level it deserves; notify after commit."""
    candidates = (
        RectificationItem.objects.select_for_update(of=("self",))
        .select_related("school__org_unit__parent")
        .filter(status__in=PENDING_STATUSES, deadline__lt=today)
        .exclude(escalation=Escalation.BUREAU)
    )
    calendar = WorkingCalendar.load(range(today.year - 1, today.year + 1))
    # recipients are read once per town (and once for the bureau), not once per item
    town_officers = cache(_town_officers)
    bureau = cache(lambda: list(bureau_users()))
    raised = 0
    for item in candidates:
        level = level_due(item.deadline, today, calendar)
        if level <= item.escalation:
            continue
        before = snapshot(item)
        item.escalation, item.escalated_on = level, today
        label = Escalation(level).label
        _step(
            item,
            before=before,
            from_status=item.status,
            kind=ItemEventKind.ESCALATED,
            actor=None,
            note=f"逾期未整改，{label}",
            fields=["escalation", "escalated_on"],
        )
        if level == Escalation.TOWN:
            recipients = town_officers(item.school.org_unit.parent_id)
        else:
            recipients = bureau()
        title = f"整改逾期：{item.school} {item.area}（期限 {item.deadline}）"
        transaction.on_commit(
            lambda r=recipients, t=title, pk=item.pk, lv=level, u=item.school.org_unit: notify(
                recipients=r,
                concerns=u,
                kind=NotificationKind.OVERDUE,
                title=t,
                url=f"/supervision/items/{pk}/",
                dedupe_key=f"supervision-item-{pk}-{lv}",
            )
        )
        raised += 1
    return raised
