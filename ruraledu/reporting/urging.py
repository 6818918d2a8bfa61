"""催办: the bureau reminds the reporters of one overdue report, by a click on the review
queue. The notice goes to the same people as the daily reminders, the click is recorded (a
ReportUrge row, a ReportEvent when the report exists, an audit row) and a report is urged at
most once a calendar day."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.policy import is_bureau
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.orgunits.models import Department, OrgUnit

from . import reminders, selectors, services
from .choices import NotificationKind, ReportEventKind
from .models import ReportingPeriod, ReportUrge

NOT_URGER = "只有区教体局的审核人员可以催办。"


def _refusal_already(urge: ReportUrge) -> str:
    at = timezone.localtime(urge.urged_at)
    return (
        f"该报告今天已于 {at:%H:%M} 由{urge.urged_by}催办过，"
        "同一份报告每天只能催办一次，请明天再催办。"
    )


def _existing_today(period: ReportingPeriod, unit_filter: dict, today: dt.date):
    return (
        ReportUrge.objects.filter(period=period, urged_on=today, **unit_filter)
        .select_related("urged_by")
        .first()
    )


@transaction.atomic
def report_urge(
    *,
    period: ReportingPeriod,
    actor,
    department: Department | None = None,
    org_unit: OrgUnit | None = None,
    address: str | None = None,
    today: dt.date | None = None,
) -> ReportUrge:
    """Remind the reporters of the unit's report for `period`, which must be overdue (past
    its deadline and not handed in). In-app notices are created in this transaction; e-mails
    go out after commit, as for the daily reminders. Refused for anyone but the bureau, and
    for a report already urged today."""
    if not is_bureau(actor):
        raise PermissionDenied(NOT_URGER)
    if (department is None) == (org_unit is None):
        raise ValidationError("催办对象必须是一个部门或一个单位。")
    today = today or timezone.localdate()
    unit = department or org_unit
    unit_filter = {"department": department} if department else {"org_unit": org_unit}
    # Serialises urges of one period, so the "already today" check below sees the other's row.
    period = (
        ReportingPeriod.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=period.pk)
    )
    key = f"{'d' if department else 'u'}{unit.pk}"
    row = next(
        (
            r
            for r in selectors.expected_reports(today=today, project=period.project)
            if r.period.pk == period.pk and r.unit_key == key
        ),
        None,
    )
    if row is None:
        raise ValidationError(f"{unit}不在这一期报告的填报单位名单中，无需催办。")
    if not row.is_overdue(today):
        raise ValidationError(
            "该报告已提交，无需催办。"
            if row.handed_in
            else f"该报告截止日期为{period.deadline:%Y年%m月%d日}，尚未逾期，不能催办。"
        )
    already = _existing_today(period, unit_filter, today)
    if already is not None:
        raise ValidationError(_refusal_already(already))
    recipients = reminders.reporters_of(unit)
    if not recipients:
        raise ValidationError(f"{unit}还没有填报人员账号，无法催办。请先为该单位分配填报人员。")
    try:
        with transaction.atomic():
            urge = ReportUrge(
                period=period,
                report=row.report,
                urged_by=actor,
                urged_on=today,
                recipients=len(recipients),
                **unit_filter,
            )
            urge.full_clean(validate_constraints=False)
            urge.save()
    except IntegrityError:  # another reviewer's click won the race
        raise ValidationError(
            _refusal_already(_existing_today(period, unit_filter, today))
        ) from None
    label = f"“{period.project.name}”{period.label}"
    reminders.notify(
        recipients=recipients,
        concerns=unit,
        kind=NotificationKind.URGED,
        title=f"催办：进展报告已逾期，请尽快提交：{label}",
        body=(
            f"{unit}的{label}进展报告截止日期为{period.deadline:%Y年%m月%d日}，至今尚未提交。"
            "区教体局请您尽快填报并提交。"
        ),
        url=reverse("reporting:my_reports"),
        dedupe_key=f"urge:{period.pk}:{key}:{today.isoformat()}",
    )
    if row.report is not None:
        services.report_event_create(
            report=row.report,
            actor=actor,
            kind=ReportEventKind.URGED,
            from_status=row.report.status,
            message=f"已通知 {len(recipients)} 位填报人员",
        )
    audit_record(
        actor=actor,
        instance=row.report or urge,
        action=AuditAction.CREATE,
        after=snapshot(urge, ["period", "department", "org_unit", "urged_on", "recipients"]),
        summary=f"催办：{unit} {label}（通知 {len(recipients)} 人）",
        address=address,
    )
    transaction.on_commit(reminders.emails_send_soon)
    return urge
