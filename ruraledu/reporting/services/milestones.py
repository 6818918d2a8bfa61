"""The reviewer's word on a milestone (节点任务)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record
from ruraledu.indicators.evaluation import evaluate_targets
from ruraledu.plans.choices import MilestoneStatus, TargetKind
from ruraledu.plans.models import Target

from ..models import (
    ProgressReport,
)
from .common import _ensure_bureau


@transaction.atomic
def target_milestone_set(
    *,
    target: Target,
    status: str,
    actor,
    report: ProgressReport | None = None,
    note: str = "",
    address: str | None = None,
    evaluate: bool = True,
) -> bool:
    """Set a milestone target's status (the bureau only); returns whether it changed.
    With `evaluate`, target states are recomputed so the cockpit shows it at once."""
    _ensure_bureau(actor)
    target = Target.objects.select_for_update().get(pk=target.pk)
    if target.kind != TargetKind.MILESTONE:
        raise ValidationError("只有节点任务可以设置完成情况。")
    if status not in MilestoneStatus.values:
        raise ValidationError("节点任务的进展不正确。")
    old = target.milestone_status
    if old == status:
        return False
    target.milestone_status = status
    target.full_clean()
    target.save(update_fields=["milestone_status"])
    old_label = MilestoneStatus(old).label if old else "未设置"
    source = f"，依据进展报告：{report}" if report is not None else ""
    extra = f"。说明：{note.strip()}" if note.strip() else ""
    audit_record(
        actor=actor,
        instance=target,
        action=AuditAction.UPDATE,
        before={"milestone_status": old},
        after={"milestone_status": status},
        summary=f"节点任务 {target.code}：{old_label} → {MilestoneStatus(status).label}{source}{extra}",
        address=address,
    )
    if evaluate:
        evaluate_targets()
    return True
