"""The bureau's standards table: every standard the indicators read (shipped defaults merged
with the bureau's edits), and the one audited way to change one."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ruraledu.accounts.policy import is_bureau
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot

from .models import Standard
from .standards import DEFAULTS, reset_cache

STAGES = {"": "通用", "primary": "小学", "junior": "初中", "kindergarten": "幼儿园"}


@dataclass
class StandardRow:
    code: str
    stage: str
    value: float
    name: str
    source: str
    year: int | None
    provisional: bool
    default: float
    stored: Standard | None

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def changed(self) -> bool:
        return self.stored is not None and self.value != self.default


def may_edit_standards(user) -> bool:
    return is_bureau(user)


def standard_rows() -> list[StandardRow]:
    """Every standard in the shipped order, with the bureau's value where it set one."""
    stored = {(s.code, s.stage): s for s in Standard.objects.all()}
    rows = []
    for code, stage, value, name, source, year, provisional in DEFAULTS:
        s = stored.get((code, stage))
        rows.append(
            StandardRow(
                code,
                stage,
                s.value if s else value,
                s.name if s else name,
                s.source if s else source,
                s.year if s else year,
                s.provisional if s else provisional,
                value,
                s,
            )
        )
    return rows


def standard_row(code: str, stage: str) -> StandardRow | None:
    return next((r for r in standard_rows() if (r.code, r.stage) == (code, stage)), None)


@transaction.atomic
def standard_set(
    *, actor, code: str, stage: str, value: float, source: str, year: int | None, provisional: bool
) -> Standard:
    """Set one standard (created from its default on first edit), audited with before and after;
    the figures are recomputed after commit."""
    from .jobs import recompute_request

    if not may_edit_standards(actor):
        raise PermissionDenied("只有区教体局可以修改标准值")
    row = standard_row(code, stage)
    if row is None:
        raise ValidationError("没有这项标准")
    if value < 0:
        raise ValidationError({"value": "标准值不能为负数"})
    standard = row.stored or Standard(code=code, stage=stage, name=row.name)
    before = snapshot(standard) if row.stored else {}
    standard.value, standard.source, standard.year = value, source, year
    standard.provisional = provisional
    standard.full_clean()
    standard.save()
    audit_record(
        actor=actor,
        instance=standard,
        action=AuditAction.UPDATE if row.stored else AuditAction.CREATE,
        before=before,
        after=snapshot(standard),
        summary=f"修改标准值：{standard.name}（{row.stage_label}）",
    )
    reset_cache()
    recompute_request(user=actor, reason=f"修改标准值：{standard.name}")
    return standard
