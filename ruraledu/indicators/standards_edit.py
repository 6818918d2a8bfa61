"""The standards table: every standard the indicators read (shipped defaults merged with the
bureau's edits), and the one audited way to change one.

Values are held at two levels. The install's bureau (`is_bureau`) sets the value for every
unit; on an install serving many districts, each district's (or city's) bureau may set its own
value for its units, or go back to the value above it. An indicator reads the value that
applies at each unit it computes (`standards.standard(code, stage, unit)`)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from ruraledu.accounts.policy import is_bureau
from ruraledu.accounts.scoping import bureau_units
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.locks import refused_if_taken

from .models import STANDARD_STAGES, STANDARD_TAKEN, Standard
from .standards import DEFAULTS, reset_cache

STAGES = dict(STANDARD_STAGES)
INSTALL = "全平台"


@dataclass
class StandardRow:
    code: str
    stage: str
    value: float
    name: str
    source: str
    year: int | None
    provisional: bool
    default: float  # what applies without this place's own value
    stored: Standard | None  # this place's own value
    inherited_from: str = ""  # where the value comes from when not set here
    others: tuple = ()  # (unit name, value) of the districts that set their own

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def changed(self) -> bool:
        return self.stored is not None and self.value != self.default


def standard_places(user) -> list:
    """Where `user` sets standards: None for the install's values (its bureau), and the
    districts or cities below the root whose bureau the user is."""
    places = [None] if is_bureau(user) else []
    places += [unit for unit in bureau_units(user) if unit.parent_id is not None]
    return places


def reading_place(user):
    """The unit whose standards a user who sets none reads: the nearest district (or city)
    below the root at or above where the user's view starts, so that a district's town or
    school reads its district's values and not the other districts'; None (the install's
    values) for a user at the root or of no place."""
    from ruraledu.orgunits.choices import BUREAU_KINDS

    from .selectors import home_unit

    unit = home_unit(user)
    for above in _ancestors(unit) if unit is not None else []:
        if above.parent_id is None:
            return None
        if above.kind in BUREAU_KINDS:
            return above
    return None


def may_edit_standards(user, unit=None) -> bool:
    places = standard_places(user)
    return unit in places if unit is not None else bool(places)


def _ancestors(unit) -> list:
    """`unit` and every unit above it, nearest first."""
    from ruraledu.orgunits.models import OrgUnit

    codes = [c for c in unit.path.strip("/").split("/") if c]
    by_code = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    return [by_code[c] for c in reversed(codes) if c in by_code]


def standard_rows(unit=None) -> list[StandardRow]:
    """Every standard in the shipped order as it applies at `unit` (None: the install's values,
    with the districts' own values beside them)."""
    chain = _ancestors(unit) if unit is not None else []
    stored = {
        (s.code, s.stage, s.unit_id): s
        for s in Standard.objects.filter(Q(unit__isnull=True) | Q(unit__in=chain)).select_related(
            "unit"
        )
    }
    others: dict = {}
    if unit is None:
        for s in Standard.objects.filter(unit__isnull=False).select_related("unit"):
            others.setdefault((s.code, s.stage), []).append((s.unit.name, s.value))
    rows = []
    for code, stage, value, name, source, year, provisional in DEFAULTS:
        above = [stored.get((code, stage, u.pk)) for u in chain[1:]] + [
            stored.get((code, stage, None))
        ]
        parent = next((s for s in above if s is not None), None)
        own = stored.get((code, stage, unit.pk)) if unit is not None else parent
        base = own or parent
        rows.append(
            StandardRow(
                code,
                stage,
                base.value if base else value,
                base.name if base else name,
                base.source if base else source,
                base.year if base else year,
                base.provisional if base else provisional,
                (parent.value if parent and unit is not None else value),
                own,
                inherited_from=_label(parent) if unit is not None and own is None else "",
                others=tuple(sorted(others.get((code, stage), []))),
            )
        )
    return rows


def _label(stored: Standard | None) -> str:
    if stored is None:
        return "软件默认值"
    return stored.unit.name if stored.unit_id else INSTALL


def standard_row(code: str, stage: str, unit=None) -> StandardRow | None:
    return next((r for r in standard_rows(unit) if (r.code, r.stage) == (code, stage)), None)


def _check(actor, code: str, stage: str, unit) -> StandardRow:
    if not may_edit_standards(actor, unit):
        raise PermissionDenied("只有区教体局可以修改标准值")
    row = standard_row(code, stage, unit)
    if row is None:
        raise ValidationError("没有这项标准")
    return row


def _recompute(actor, reason: str) -> None:
    from .jobs import recompute_request

    reset_cache()
    recompute_request(user=actor, reason=reason)


@transaction.atomic
def standard_set(
    *,
    actor,
    code: str,
    stage: str,
    value: float,
    source: str,
    year: int | None,
    provisional: bool,
    unit=None,
) -> Standard:
    """Set one standard at `unit` (None: the install's), created on first edit, audited with
    before and after; the figures are recomputed after commit."""
    row = _check(actor, code, stage, unit)
    if value < 0:
        raise ValidationError({"value": "标准值不能为负数"})
    # the stored value locked and read again: another edit meanwhile is what this one
    # replaces (the audit's before), and a value cleared meanwhile is created anew
    stored = row.stored and Standard.objects.select_for_update().filter(pk=row.stored.pk).first()
    standard = stored or Standard(code=code, stage=stage, name=row.name, unit=unit)
    before = snapshot(standard) if stored else {}
    standard.value, standard.source, standard.year = value, source, year
    standard.provisional = provisional
    standard.full_clean()
    with refused_if_taken(STANDARD_TAKEN):  # a unit's first value, saved a moment ago
        standard.save()
    where = f"{unit.name}" if unit is not None else ""
    audit_record(
        actor=actor,
        instance=standard,
        action=AuditAction.UPDATE if stored else AuditAction.CREATE,
        before=before,
        after=snapshot(standard),
        summary=f"修改{where}标准值：{standard.name}（{row.stage_label}）",
    )
    _recompute(actor, f"修改{where}标准值：{standard.name}")
    return standard


@transaction.atomic
def standard_clear(*, actor, code: str, stage: str, unit) -> None:
    """A district's own value removed: the value above it applies again (audited)."""
    row = _check(actor, code, stage, unit)
    if unit is None or row.stored is None:
        raise ValidationError("本单位没有自定这项标准")
    # locked and read again: of a clear sent twice at once (a double click), the second finds
    # the value gone and has nothing to do
    stored = Standard.objects.select_for_update().filter(pk=row.stored.pk).first()
    if stored is None:
        return
    audit_record(
        actor=actor,
        instance=stored,
        action=AuditAction.DELETE,
        before=snapshot(stored),
        after={},
        summary=f"{unit.name}恢复使用上级标准值：{row.name}（{row.stage_label}）",
    )
    stored.delete()
    _recompute(actor, f"{unit.name}恢复使用上级标准值：{row.name}")


def standards_load(entries: list[dict], unit, label: str) -> int:
    """A plan file's standard values written as `unit`'s where it has none yet (the bureau's
    later edits on the page are never overwritten by loading the file again); audited."""
    names = {(d[0], d[1]): d[3] for d in DEFAULTS}
    created = 0
    for entry in entries:
        if Standard.objects.filter(code=entry["code"], stage=entry["stage"], unit=unit).exists():
            continue
        standard = Standard.objects.create(
            unit=unit, name=names[(entry["code"], entry["stage"])], **entry
        )
        audit_record(
            actor=None,
            instance=standard,
            action=AuditAction.CREATE,
            after=snapshot(standard),
            summary=f"{label} 设定标准值：{standard.name}",
        )
        created += 1
    reset_cache()
    return created
