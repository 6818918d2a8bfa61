"""How a case ends: back at school, placed, on sick leave, escalated (the town's numbered
限期返校通知书, then the district's 行政或司法程序), and closed with a reason."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ruraledu.audit.services import snapshot
from ruraledu.orgunits.models import OrgUnit

from ..choices import (
    ESCALATED_STATUSES,
    OUTCOME_STATUSES,
    CaseEscalation,
    CaseEventKind,
    CaseStatus,
    CloseReason,
)
from ..deadlines import NOTICE_DAYS, working_deadline
from ..models import DropoutCase, ReturnNotice
from ..permissions import may_close_escalated, may_escalate, may_work
from .common import (
    audit_created,
    lock,
    not_before_found,
    not_future,
    record,
    refuse_unless,
    require,
    require_plan,
)
from .files import has_certificate

# an outcome needs at least one contact first; an escalated case can end the same ways
RESOLVABLE = (CaseStatus.CONTACTING, *ESCALATED_STATUSES)
# closing without an outcome: the child turned out not to be out of school here
EARLY_CLOSE_REASONS = (
    CloseReason.MOVED_AWAY,
    CloseReason.STUDYING_ELSEWHERE,
    CloseReason.MISTAKEN,
)
OUTCOME_REASON = {
    CaseStatus.RETURNED: CloseReason.RETURNED,
    CaseStatus.PLACED: CloseReason.PLACED,
    CaseStatus.SICK_LEAVE: CloseReason.SICK_LEAVE,
}


@transaction.atomic
def case_resolve(
    *,
    case: DropoutCase,
    actor,
    version: int | None,
    outcome: str,
    on: dt.date,
    certificate_number: str = "",
    certificate_issuer: str = "",
    placement_note: str = "",
    note: str = "",
    address: str | None = None,
) -> DropoutCase:
    """Record the result of the persuasion: 返校, 转入特教或送教 (where), or 因病休学 (with the
    hospital's certificate number). The case then waits for its closure."""
    case = lock(case, version)
    if case.status in ESCALATED_STATUSES:
        require(may_escalate(actor, case))
    else:
        require(may_work(actor, case))
    if case.status == CaseStatus.ASSIGNED:
        raise ValidationError("还没有任何联系记录：请先记录家访或劝返情况。", code="illegal")
    refuse_unless(case, RESOLVABLE, "登记劝返结果")
    if outcome not in OUTCOME_STATUSES:
        raise ValidationError("请选择劝返结果。")
    not_future(on, timezone.localdate(), "结果日期")
    not_before_found(on, case, "结果日期")
    if outcome == CaseStatus.SICK_LEAVE and not (
        certificate_number.strip() and certificate_issuer.strip()
    ):
        raise ValidationError("因病休学须填写医院诊断证明的编号和出具医院。")
    if outcome == CaseStatus.PLACED and not placement_note.strip():
        raise ValidationError("请填写安置去向（特教学校名称或送教上门的学校）。")
    before, from_status = snapshot(case), case.status
    case.status, case.outcome_on = outcome, on
    case.certificate_number = certificate_number.strip()
    case.certificate_issuer = certificate_issuer.strip()
    case.placement_note = placement_note.strip()
    label = CaseStatus(outcome).label
    return record(
        case=case,
        before=before,
        from_status=from_status,
        kind=CaseEventKind.RESOLVED,
        on=on,
        actor=actor,
        note=f"{label}。{note.strip()}".strip(),
        address=address,
        fields=["outcome_on", "certificate_number", "certificate_issuer", "placement_note"],
    )


def _next_number(town, year: int) -> int:
    # notices are numbered per town and year: the town's row, locked, makes escalations in
    # one town number one at a time (FOR UPDATE on the aggregate itself would lock nothing)
    list(OrgUnit.objects.select_for_update().filter(pk=town.pk).values_list("pk", flat=True))
    taken = ReturnNotice.objects.filter(town=town, year=year).aggregate(top=Max("number"))["top"]
    return (taken or 0) + 1


@transaction.atomic
def case_escalate(
    *,
    case: DropoutCase,
    actor,
    version: int | None,
    on: dt.date,
    guardian: str = "",
    procedure: str = "",
    address: str | None = None,
) -> DropoutCase:
    """Move a case up one level. From persuasion to the town (only with the case's written
    plan): the town office issues a numbered 限期返校通知书 to the guardian with a return date
    in working days. From the town to the district: the 行政或司法程序 started is recorded (the
    platform does not run it)."""
    case = lock(case, version)
    require(may_escalate(actor, case), "只有镇街教育办或区教体局可以上报升级。")
    not_future(on, timezone.localdate(), "上报日期")
    not_before_found(on, case, "上报日期")
    if case.status == CaseStatus.ESCALATED_TOWN:
        if len(procedure.strip()) < 6:
            raise ValidationError(
                "请写明启动的行政或司法程序（如：提请乡镇人民政府送达责令改正通知书）。"
            )
        before, from_status = snapshot(case), case.status
        case.status = CaseStatus.ESCALATED_DISTRICT
        case.legal_procedure = procedure.strip()
        case.escalation, case.escalated_on = CaseEscalation.DISTRICT, on
        return record(
            case=case,
            before=before,
            from_status=from_status,
            kind=CaseEventKind.ESCALATED_DISTRICT,
            on=on,
            actor=actor,
            note=procedure.strip()[:200],
            address=address,
            fields=["legal_procedure", "escalation", "escalated_on"],
        )
    if case.status == CaseStatus.ASSIGNED:
        raise ValidationError("还没有任何劝返记录，不能报镇街：请先家访劝返。", code="illegal")
    refuse_unless(case, (CaseStatus.CONTACTING,), "上报升级")
    require_plan(case, "escalate")
    if not guardian.strip():
        raise ValidationError("请填写限期返校通知书的送达对象（监护人姓名）。")
    return_by, provisional = working_deadline(on, NOTICE_DAYS)
    notice = ReturnNotice.objects.create(
        case=case,
        town=case.town,
        year=on.year,
        number=_next_number(case.town, on.year),
        issued_on=on,
        return_by=return_by,
        return_by_provisional=provisional,
        guardian=guardian.strip(),
        issued_by=actor,
    )
    audit_created(notice, actor=actor, summary="控辍保学个案：下发限期返校通知书", address=address)
    before, from_status = snapshot(case), case.status
    case.status = CaseStatus.ESCALATED_TOWN
    if case.escalation < CaseEscalation.TOWN:
        case.escalation, case.escalated_on = CaseEscalation.TOWN, on
    # the next deadline, 15 working days on, is the notice's return date
    return record(
        case=case,
        before=before,
        from_status=from_status,
        kind=CaseEventKind.ESCALATED_TOWN,
        on=on,
        actor=actor,
        note=f"限期返校通知书{notice.label}，限 {return_by:%Y年%m月%d日} 前返校",
        address=address,
        fields=["escalation", "escalated_on"],
    )


@transaction.atomic
def case_close(
    *,
    case: DropoutCase,
    actor,
    version: int | None,
    reason: str,
    on: dt.date,
    note: str = "",
    address: str | None = None,
) -> DropoutCase:
    """Close a case with a reason: after its outcome (the matching reason), before any outcome
    when the child proves to be elsewhere or the report mistaken (with a note of how it was
    verified), or, for a case escalated, by the bureau alone."""
    case = lock(case, version)
    not_future(on, timezone.localdate(), "结案日期")
    if reason not in CloseReason.values:
        raise ValidationError("请选择结案原因。")
    if case.status in ESCALATED_STATUSES:
        require(may_close_escalated(actor), "已升级的个案只能由区教体局结案。")
        if len(note.strip()) < 4:
            raise ValidationError("请写明结案依据。")
    elif case.status in OUTCOME_STATUSES:
        require(may_work(actor, case))
        if reason != OUTCOME_REASON[case.status]:
            raise ValidationError(
                f"个案结果为“{case.get_status_display()}”，"
                f"结案原因应为“{CloseReason(OUTCOME_REASON[case.status]).label}”。"
            )
    else:
        refuse_unless(case, (CaseStatus.FOUND, CaseStatus.ASSIGNED, CaseStatus.CONTACTING), "结案")
        require(may_work(actor, case))
        if reason not in EARLY_CLOSE_REASONS:
            raise ValidationError("尚未登记劝返结果：只能以“已迁出”“在外地就读”或“误报”结案。")
        if len(note.strip()) < 4:
            raise ValidationError("请写明核实情况（如迁入地学校、核实人和方式）。")
    if reason == CloseReason.SICK_LEAVE and not has_certificate(case):
        raise ValidationError("因病休学结案前，请先上传医院诊断证明（PDF 或图片）。")
    not_before_found(on, case, "结案日期")
    before, from_status = snapshot(case), case.status
    case.status, case.close_reason, case.close_note, case.closed_on = (
        CaseStatus.CLOSED,
        reason,
        note.strip(),
        on,
    )
    return record(
        case=case,
        before=before,
        from_status=from_status,
        kind=CaseEventKind.CLOSED,
        on=on,
        actor=actor,
        note=f"{CloseReason(reason).label}。{note.strip()}".strip(),
        address=address,
        fields=["close_reason", "close_note", "closed_on"],
    )
