"""What every case transition shares: the locked, version-checked read, the event row, the
audit row and the next working-day deadline."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, changed, snapshot
from ruraledu.core.versions import check_version

from ..choices import OUTCOME_STATUSES, CaseStatus
from ..deadlines import step_deadline
from ..models import CaseEvent, DropoutCase


def lock_version(queryset, pk: int, version: int | None, what: str):
    """The record re-read under a row lock. `version` is what the officer's form was read at:
    when someone changed the record since, the change is refused rather than merged."""
    locked = queryset.select_for_update().get(pk=pk)
    check_version(
        "该%(what)s已被其他人更新（您看到的是第 %(seen)s 版，现在是第 %(now)s 版），"
        "您的修改没有保存。请刷新页面，核对最新情况后再操作。",
        what=what,
        seen=version,
        now=locked.version,
    )
    return locked


def lock(case: DropoutCase, version: int | None) -> DropoutCase:
    return lock_version(
        DropoutCase.objects.select_related("unit", "town"), case.pk, version, "个案"
    )


def require(allowed: bool, message: str = "您无权办理该个案的这一步。") -> None:
    if not allowed:
        raise PermissionDenied(message)


def refuse_unless(case: DropoutCase, statuses, action: str) -> None:
    if case.status not in statuses:
        raise ValidationError(
            f"个案当前状态为“{case.get_status_display()}”，不能{action}。", code="illegal"
        )


# 一人一案: persuasion and the town's notice work from the case's written plan
PLAN_FIRST = {
    "contact": "请先填写劝返方案，再记录联系情况（首次联系即转为“劝返中”）。",
    "escalate": "请先填写劝返方案，再报镇街。",
}


def plan_missing(case: DropoutCase, step: str) -> str:
    """Why `step` cannot be taken on the case for want of a written plan ("" when it can):
    the first contact (to 劝返中) and the escalation to the town need one."""
    moves = {"contact": CaseStatus.ASSIGNED, "escalate": CaseStatus.CONTACTING}
    if case.status == moves.get(step) and not case.plan.strip():
        return PLAN_FIRST[step]
    return ""


def require_plan(case: DropoutCase, step: str) -> None:
    if message := plan_missing(case, step):
        raise ValidationError(message, code="illegal")


def not_future(on: dt.date, today: dt.date, what: str = "日期") -> None:
    if on > today:
        raise ValidationError(f"{what}不能晚于今天。")


def not_before_found(on: dt.date, case: DropoutCase, what: str) -> None:
    """No step of a case can come before the child was found."""
    if on < case.opened_on:
        raise ValidationError(f"{what}不能早于发现日期（{case.opened_on:%Y-%m-%d}）。")


def record(
    *,
    case: DropoutCase,
    before: dict,
    from_status: str,
    kind: str,
    on: dt.date,
    actor,
    note: str = "",
    address: str | None = None,
    fields: list[str],
) -> DropoutCase:
    """Save the changed fields with a raised version, set the next deadline when the status
    moved, and write the event and the audit row in the caller's transaction."""
    if case.status != from_status:
        if case.status in (CaseStatus.CLOSED, *OUTCOME_STATUSES):
            case.deadline, case.deadline_provisional = None, False
        else:
            case.deadline, case.deadline_provisional = step_deadline(case.status, on)
        fields += ["status", "deadline", "deadline_provisional"]
    case.version += 1
    case.full_clean(exclude=["person", "school", "town", "unit", "opened_by", "teacher"])
    case.save(update_fields=[*dict.fromkeys(fields), "version", "updated_at"])
    CaseEvent.objects.create(
        case=case,
        kind=kind,
        on=on,
        actor=actor,
        from_status=from_status,
        to_status=case.status,
        note=note,
    )
    old, new = changed(before, snapshot(case))
    audit_record(
        actor=actor,
        instance=case,
        action=AuditAction.TRANSITION if case.status != from_status else AuditAction.UPDATE,
        before=old,
        after=new,
        summary=f"控辍保学个案：{CaseEvent(kind=kind).get_kind_display()}",
        address=address,
    )
    return case


def audit_created(instance, *, actor, summary: str, address: str | None) -> None:
    """The audit row of a record a step adds beside a case or file (a contact, a notice, a
    review): its words as written, which the case's or file's own row does not hold (a case's
    are erased with it at the end of its retention period)."""
    audit_record(
        actor=actor,
        instance=instance,
        action=AuditAction.CREATE,
        after=snapshot(instance),
        summary=summary,
        address=address,
    )
