"""The daily follow-up of open cases: a reminder to whoever must act before a step's deadline
and again while it stays overdue, and an overdue case moved up by itself (school → town
office → bureau) with the step logged. Run by `follow_up_cases`; running it twice on a day
sends and raises nothing new. Also the reminder to the school holding an open case when its
pupil's 转学 elsewhere is confirmed."""

import datetime as dt
from dataclasses import dataclass
from functools import cache, partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.choices import ROLE_ACTIONS, Action, Role
from ruraledu.accounts.models import RoleAssignment
from ruraledu.accounts.policy import bureau_users
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record
from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.reminders import notify, notify_on_commit
from ruraledu.reporting.workdays import WorkingCalendar

from ..choices import (
    ESCALATED_STATUSES,
    OUTCOME_STATUSES,
    CaseEscalation,
    CaseEventKind,
    CaseStatus,
)
from ..deadlines import (
    ESCALATE_DISTRICT_LATE,
    ESCALATE_TOWN_LATE,
    OVERDUE_REMIND_WORKING_DAYS,
    REMIND_WORKING_DAYS,
)
from ..models import CaseEvent, DropoutCase

CARE_ROLES = [r for r, actions in ROLE_ACTIONS.items() if Action.CARE in actions]


def _active(ids) -> list:
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def school_workers(unit_id: int) -> list:
    """The care roles held at the case's own unit (the school's officer and clerk)."""
    return _active(
        RoleAssignment.objects.filter(role__in=CARE_ROLES, org_unit_id=unit_id).values("user_id")
    )


def town_officers(town_id: int) -> list:
    return _active(
        RoleAssignment.objects.filter(role=Role.TOWN_OFFICER, org_unit_id=town_id).values("user_id")
    )


def level_due(case: DropoutCase, today: dt.date, calendar: WorkingCalendar) -> int:
    """The level an open case deserves today: a town's expired notice goes to the district; a
    school's step overdue goes to the town, and after longer to the district."""
    if case.deadline is None or case.deadline >= today:
        return CaseEscalation.SCHOOL
    if case.status in (CaseStatus.ESCALATED_TOWN, CaseStatus.ESCALATED_DISTRICT):
        return CaseEscalation.DISTRICT
    late = calendar.working_days_between(case.deadline, today)
    if late >= ESCALATE_DISTRICT_LATE:
        return CaseEscalation.DISTRICT
    if late >= ESCALATE_TOWN_LATE:
        return CaseEscalation.TOWN
    return CaseEscalation.SCHOOL


@dataclass
class FollowUpStats:
    escalated: int = 0
    reminders: int = 0
    overdue: int = 0

    def __str__(self) -> str:
        return (
            f"升级 {self.escalated} 个个案；发送待办提醒 {self.reminders} 条，"
            f"逾期提醒 {self.overdue} 条。"
        )


class _Recipients:
    """Recipients read once per unit, town and for the bureau, not once per case."""

    def __init__(self) -> None:
        self.school = cache(school_workers)
        self.town = cache(town_officers)
        self.bureau = cache(lambda: list(bureau_users()))

    def acting(self, case: DropoutCase) -> list:
        """Whoever must take the case's next step."""
        if case.status == CaseStatus.ESCALATED_DISTRICT:
            return self.bureau()
        if case.status == CaseStatus.ESCALATED_TOWN:
            return self.town(case.town_id)
        people = list(self.school(case.unit_id))
        if case.teacher_id and case.teacher not in people:
            people.append(case.teacher)
        return people

    def level(self, case: DropoutCase, level: int) -> list:
        return self.bureau() if level == CaseEscalation.DISTRICT else self.town(case.town_id)

    def above_school(self, case: DropoutCase) -> list:
        """Whoever acts on a case raised above its school, as the daily job addresses them: the
        town office or the bureau the case was reported to (`acting`) and the level it is
        overseen at (`level`, as its escalation notice went); none while the school has it."""
        people = list(self.acting(case)) if case.status in ESCALATED_STATUSES else []
        if case.escalation > CaseEscalation.SCHOOL:
            people += self.level(case, case.escalation)
        return list({user.pk: user for user in people}.values())

    def concerned(self, case: DropoutCase) -> list:
        """The school's care roles and, on a case raised above it, whoever acts there: told of
        a step falling due and of the pupil's transfer alike (`notify` takes each person once)."""
        return [*self.school(case.unit_id), *self.above_school(case)]

    def reminded(self, case: DropoutCase) -> list:
        """Whom a step falling due or left overdue is told of: `concerned`, and the case's
        teacher while the school works it (`acting` adds them)."""
        return [*self.acting(case), *self.concerned(case)]


def _case_label(case: DropoutCase) -> str:
    # no child's name in a notice: a notice can be e-mailed
    where = case.school.org_unit.name if case.school_id else case.town.name
    return f"控辍保学个案 #{case.pk}（{where}）"


@transaction.atomic
def cases_escalate(*, today: dt.date, recipients: _Recipients | None = None) -> int:
    """Raise every overdue open case to the level it deserves; notify after commit."""
    recipients = recipients or _Recipients()
    calendar = WorkingCalendar.load(range(today.year - 1, today.year + 1))
    candidates = (
        DropoutCase.objects.select_for_update(of=("self",))
        .select_related("town", "unit", "school__org_unit", "teacher")
        .exclude(status__in=[CaseStatus.CLOSED, *OUTCOME_STATUSES])
        .filter(deadline__lt=today)
        .exclude(escalation=CaseEscalation.DISTRICT)
    )
    raised = 0
    for case in candidates:
        level = level_due(case, today, calendar)
        if level <= case.escalation:
            continue
        label = CaseEscalation(level).label
        before = {"escalation": case.escalation, "escalated_on": case.escalated_on}
        case.escalation, case.escalated_on = level, today
        case.version += 1
        case.save(update_fields=["escalation", "escalated_on", "version", "updated_at"])
        note = f"“{case.get_status_display()}”一步逾期（期限 {case.deadline:%Y-%m-%d}），{label}"
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.AUTO_ESCALATED,
            on=today,
            actor=None,
            from_status=case.status,
            to_status=case.status,
            note=note,
        )
        audit_record(
            actor=None,
            instance=case,
            action=AuditAction.UPDATE,
            before=before,
            after={"escalation": level, "escalated_on": today},
            summary=f"控辍保学个案：逾期自动升级（{label}）",
        )
        transaction.on_commit(
            partial(
                notify,
                recipients=recipients.level(case, level),
                concerns=case.unit,
                kind=NotificationKind.ESCALATED,
                title=f"逾期升级：{_case_label(case)}",
                body=f"{note}。请督促办理或接手。",
                url=reverse("care:case_detail", args=[case.pk]),
                dedupe_key=f"care-case-{case.pk}-escalated-{level}",
            )
        )
        raised += 1
    return raised


def _open_cases():
    return DropoutCase.objects.select_related(
        "town", "unit", "school__org_unit", "teacher"
    ).exclude(status__in=[CaseStatus.CLOSED, *OUTCOME_STATUSES])


def cases_remind(*, today: dt.date, recipients: _Recipients | None = None) -> int:
    """A 待办提醒 to whoever must act on each open case whose step falls due within a working
    day, and to those the transfer notice goes to (the school and, on a case raised by hand
    or by this job, the town office or the bureau); one per person, case, step and deadline."""
    recipients = recipients or _Recipients()
    calendar = WorkingCalendar.load(range(today.year, today.year + 2))
    horizon, _ = calendar.add_working_days(today, REMIND_WORKING_DAYS)
    due = _open_cases().filter(deadline__gte=today, deadline__lte=horizon)
    sent = 0
    for case in due:
        sent += notify(
            recipients=recipients.reminded(case),
            concerns=case.unit,
            kind=NotificationKind.TASK,
            title=f"待办：{_case_label(case)}（{case.get_status_display()}）",
            body=f"这一步的办理期限为 {case.deadline:%Y年%m月%d日}，请按时办理。",
            url=reverse("care:case_detail", args=[case.pk]),
            dedupe_key=f"care-case-{case.pk}-due-{case.status}-{case.deadline.isoformat()}",
        )
    return sent


def cases_remind_overdue(*, today: dt.date, recipients: _Recipients | None = None) -> int:
    """A 逾期提醒 to those `cases_remind` reminds, for each open case whose step is overdue:
    once the step is `OVERDUE_REMIND_WORKING_DAYS` working days late, and again as many working
    days later, counted from its latest escalation notice where that came after the deadline
    (a case the bureau holds is raised no further, so nothing else would tell anyone again)."""
    recipients = recipients or _Recipients()
    calendar = WorkingCalendar.load(range(today.year - 1, today.year + 1))
    sent = 0
    for case in _open_cases().filter(deadline__lt=today):
        since = max(case.deadline, case.escalated_on or case.deadline)
        waited = calendar.working_days_between(since, today)
        rounds = waited // OVERDUE_REMIND_WORKING_DAYS
        if not rounds:
            continue
        late = (
            waited
            if since == case.deadline
            else calendar.working_days_between(case.deadline, today)
        )
        sent += notify(
            recipients=recipients.reminded(case),
            concerns=case.unit,
            kind=NotificationKind.TASK,
            title=f"逾期未办：{_case_label(case)}（{case.get_status_display()}）",
            body=(
                f"这一步的办理期限为 {case.deadline:%Y年%m月%d日}，已逾期 {late} 个工作日。"
                "请尽快办理，并在个案中登记。"
            ),
            url=reverse("care:case_detail", args=[case.pk]),
            dedupe_key=(
                f"care-case-{case.pk}-overdue-{case.status}-{case.deadline.isoformat()}"
                f"-{since.isoformat()}-{rounds}"
            ),
        )
    return sent


def cases_follow_up(*, today: dt.date) -> FollowUpStats:
    """The daily job: escalate the overdue, then remind of what falls due and of what stays
    overdue."""
    recipients = _Recipients()
    escalated = cases_escalate(today=today, recipients=recipients)
    return FollowUpStats(
        escalated=escalated,
        reminders=cases_remind(today=today, recipients=recipients),
        overdue=cases_remind_overdue(today=today, recipients=recipients),
    )


@transaction.atomic
def case_transfer_notice(*, transfer, **sent) -> int:
    """A confirmed 转学 of a pupil with an open case held elsewhere (the school the pupil
    left): log it in the case's 办理记录 as a system step (the receiving school and the day,
    nothing typed by staff: shown to a viewer who sees the name masked too) and tell the care
    roles where the case is held, who still work it and may open it, and on a case raised to
    the town office or the bureau whoever acts on it there, to check with the new school
    whether the child attends (connected to `students.signals.transfer_confirmed`, inside the
    confirmation's transaction). The notice goes after commit and names no child: it may be
    e-mailed, and the group robots get its title."""
    cases = (
        DropoutCase.objects.open()
        .filter(person_id=transfer.person_id)
        .exclude(school_id=transfer.to_school_id)
        .select_related("unit", "town", "school__org_unit")
        .select_for_update(of=("self",))
    )
    day = timezone.localdate(transfer.decided_at)
    to_school = transfer.to_school.org_unit.name
    recipients = _Recipients()
    cases = list(cases)
    for case in cases:
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.TRANSFERRED,
            on=day,
            actor=None,
            from_status=case.status,
            to_status=case.status,
            note=f"学籍已转入{to_school}（{day:%Y-%m-%d} 确认转学）",
        )
        audit_record(
            actor=None,
            instance=case,
            action=AuditAction.UPDATE,
            after={"transfer": transfer.pk, "to_school": to_school, "confirmed_on": day},
            summary=f"控辍保学个案：学生转学，学籍已转入{to_school}",
        )
        notify_on_commit(
            recipients=recipients.concerned(case),
            concerns=case.unit,
            kind=NotificationKind.TASK,
            title=f"学生已转学：{_case_label(case)}",
            body=(
                f"该生的转学已于 {day:%Y年%m月%d日} 确认，学籍已转入{to_school}。"
                "请与转入学校核实该生是否已到校就读，并据实办理个案（登记劝返结果或结案）。"
            ),
            url=reverse("care:case_detail", args=[case.pk]),
            dedupe_key=f"care-case-{case.pk}-transfer-{transfer.pk}",
        )
    return len(cases)
