"""DHIS2 dataValueSets: stored indicator values out, and in from a lower level.

dataElement = indicator code, orgUnit = unit code, period = the school year's first calendar
year ("2024" for 2024—2025). The value itself has no categoryOptionCombo (or "value"); its
numerator and denominator travel as the same data element with categoryOptionCombo
"numerator" / "denominator", so a round trip keeps all three figures."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import AuditEntry, audit_bulk
from ruraledu.indicators.choices import ValueOrigin
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue
from ruraledu.orgunits.models import OrgUnit

PARTS = ("value", "numerator", "denominator")
MAX_ERRORS = 200


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def export_value_set(values) -> dict:
    """The dataValueSet of these IndicatorValue rows (a scoped queryset)."""
    rows = []
    for v in values.select_related("unit").order_by("code", "unit__path", "year"):
        base = {"dataElement": v.code, "period": str(v.year), "orgUnit": v.unit.code}
        rows.append({**base, "value": _number(v.value), "lastUpdated": v.computed_at.isoformat()})
        for part in ("numerator", "denominator"):
            figure = getattr(v, part)
            if figure is not None:
                rows.append({**base, "categoryOptionCombo": part, "value": _number(figure)})
    return {"dataValues": rows}


def _parse(raw: str) -> float | None:
    if raw == "":
        return None
    number = float(raw)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(raw)
    return number


def import_value_set(*, user, data_values: list[dict], address: str | None = None) -> dict:
    """Write the values, all or nothing; every problem is reported at once, by name."""
    errors: list[str] = []
    unknown_codes = sorted({d["dataElement"] for d in data_values} - set(REGISTRY))
    if unknown_codes:
        errors.append(f"未知的指标代码（dataElement）：{'、'.join(unknown_codes)}")
    unit_codes = {d["orgUnit"] for d in data_values}
    reach = Reach(user, Action.CHANGE)
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=unit_codes) if reach.covers(u.path)}
    refused = sorted(unit_codes - set(units))
    if refused:
        errors.append(f"单位代码（orgUnit）不存在或不在您的修改范围内：{'、'.join(refused)}")
    figures: dict[tuple, dict] = defaultdict(dict)
    for index, d in enumerate(data_values):
        where = (
            f"dataValues 第 {index + 1} 条（{d['dataElement']} / {d['orgUnit']} / {d['period']}）"
        )
        try:
            number = _parse(d["value"])
        except ValueError:
            errors.append(f"{where}：值“{d['value']}”不是数字。")
            continue
        key = (d["dataElement"], d["orgUnit"], int(d["period"]))
        part = d.get("categoryOptionCombo") or "value"
        if part in figures[key]:
            errors.append(f"{where}：{part} 重复出现。")
        figures[key][part] = number
    if errors:
        shown = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            shown.append(f"另有 {len(errors) - MAX_ERRORS} 处错误未列出。")
        raise ValidationError({"dataValues": shown})
    return _write(user=user, figures=figures, units=units, address=address)


@transaction.atomic
def _write(*, user, figures: dict, units: dict, address: str | None) -> dict:
    now = timezone.now()
    existing = {
        (v.code, v.unit.code, v.year): v
        for v in IndicatorValue.objects.select_for_update()
        .select_related("unit")
        .filter(unit__in=units.values(), code__in={k[0] for k in figures})
    }
    created, changed, entries = [], [], []
    for key, parts in figures.items():
        row = existing.get(key)
        if row is None:
            row = IndicatorValue(
                code=key[0],
                unit=units[key[1]],
                year=key[2],
                computed_at=now,
                details={},
                origin=ValueOrigin.IMPORTED,  # a recompute leaves it alone
            )
            for part in PARTS:
                setattr(row, part, parts.get(part))
            created.append(row)
            continue
        before = {part: getattr(row, part) for part in PARTS}
        for part, number in parts.items():
            setattr(row, part, number)
        after = {part: getattr(row, part) for part in PARTS}
        if after != before or row.origin != ValueOrigin.IMPORTED:
            row.computed_at = now
            row.origin = ValueOrigin.IMPORTED
            changed.append(row)
            entries.append(
                AuditEntry(IndicatorValue, row.pk, AuditAction.UPDATE, str(row), before, after)
            )
    IndicatorValue.objects.bulk_create(created, batch_size=2000)
    IndicatorValue.objects.bulk_update(changed, [*PARTS, "computed_at", "origin"], batch_size=2000)
    # bulk_create returns keys on PostgreSQL and SQLite; read them back to be sure
    if created and created[0].pk is None:
        created = list(
            IndicatorValue.objects.filter(computed_at=now, unit__in=units.values()).exclude(
                pk__in=[r.pk for r in changed]
            )
        )
    entries += [
        AuditEntry(
            IndicatorValue,
            row.pk,
            AuditAction.CREATE,
            str(row),
            {},
            {part: getattr(row, part) for part in PARTS} | {"code": row.code, "year": row.year},
        )
        for row in created
    ]
    audit_bulk(actor=user, entries=entries, summary="DHIS2 数据交换导入指标值", address=address)
    return {
        "created": len(created),
        "updated": len(changed),
        "unchanged": len(figures) - len(created) - len(changed),
    }
