"""DHIS2 dataValueSets: stored indicator values out, and in from a lower level.

dataElement = indicator code, orgUnit = unit code, period = the school year's first calendar
year ("2024" for 2024—2025). The value itself has no categoryOptionCombo (or "value"); its
numerator and denominator travel as the same data element with categoryOptionCombo
"numerator" / "denominator", so a round trip keeps all three figures.

An imported value is never recomputed, so it is taken only where this install does not work
the figure out itself, unless the bureau sends it; its period is one of the years the upload
page offers, and its figures must fit the indicator (no share of a whole above 100 %)."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, is_bureau
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import AuditEntry, audit_bulk
from ruraledu.core.schoolyear import upload_years
from ruraledu.indicators.choices import ValueOrigin
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue
from ruraledu.orgunits.models import OrgUnit, School

PARTS = ("value", "numerator", "denominator")
PART_NAMES = {"value": "值", "numerator": "分子", "denominator": "分母"}
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


@transaction.atomic
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
    years = upload_years()
    figures: dict[tuple, dict] = defaultdict(dict)
    rows_of: dict[tuple, list[int]] = defaultdict(list)
    for index, d in enumerate(data_values):
        where = (
            f"dataValues 第 {index + 1} 条（{d['dataElement']} / {d['orgUnit']} / {d['period']}）"
        )
        try:
            number = _parse(d["value"])
        except ValueError:
            errors.append(f"{where}：值“{d['value']}”不是数字。")
            continue
        part = d.get("categoryOptionCombo") or "value"
        problems = []
        # the years the upload page offers: a figure for any other year is a mistake
        if int(d["period"]) not in years:
            problems.append(
                f"{where}：学年（period）“{d['period']}”不是本平台可填报的学年，"
                f"应为 {years[-1]} 至 {years[0]} 之间的学年起始年份。"
            )
        indicator = REGISTRY.get(d["dataElement"])
        if indicator is not None and number is not None:
            problem = _out_of_range(indicator, part, number)
            if problem:
                problems.append(f"{where}：{problem}（收到“{d['value']}”）。")
        if problems:
            errors += problems
            continue
        key = (d["dataElement"], d["orgUnit"], int(d["period"]))
        if part in figures[key]:
            errors.append(f"{where}：{part} 重复出现。")
        figures[key][part] = number
        rows_of[key].append(index)
    existing = {
        (v.code, v.unit.code, v.year): v
        for v in IndicatorValue.objects.select_for_update()
        .select_related("unit")
        .filter(unit__in=units.values(), code__in={k[0] for k in figures})
    }
    errors += _refusals(user, reach, figures, rows_of, existing, units)
    if errors:
        shown = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            shown.append(f"另有 {len(errors) - MAX_ERRORS} 处错误未列出。")
        raise ValidationError({"dataValues": shown})
    return _write(user=user, figures=figures, existing=existing, units=units, address=address)


def _out_of_range(indicator, part: str, number: float) -> str:
    """What is wrong with this figure of `indicator`, or ""."""
    if number < 0 and not (part == "value" and indicator.can_be_negative):
        return f"{PART_NAMES[part]}不能为负数"
    if part == "value" and number > 100 and _is_share(indicator):
        return f"{indicator.name}以 % 计，值不能超过 100"
    return ""


def _is_share(indicator) -> bool:
    """A rate in % that is a part of its whole: numerator at most the denominator."""
    return indicator.unit == "%" and not indicator.can_exceed_100


def _refusals(user, reach, figures, rows_of, existing, units) -> list[str]:
    """The values this user may not write, and those whose parts do not fit together."""
    bureau = is_bureau(user)
    computed_here = set() if bureau else _computed_units(reach, list(units.values()))
    refusals = []
    for key, parts in figures.items():
        if key[0] not in REGISTRY or key[1] not in units:
            continue  # refused above already
        where = (
            f"dataValues 第 {'、'.join(str(i + 1) for i in rows_of[key])} 条"
            f"（{key[0]} / {key[1]} / {key[2]}）"
        )
        row = existing.get(key)
        # figures worked out here from the schools' own records: a school (or town) that
        # sends another figure would hide its records, and a recompute leaves imported values
        # alone, so only the bureau may replace one (and answers for it)
        if not bureau and row is not None and row.origin == ValueOrigin.COMPUTED:
            refusals.append(
                f"{where}：该值由本平台根据登记数据计算，只有区教体局可以经数据交换改写；"
                "数值有误请更正登记数据后重新计算。"
            )
            continue
        if not bureau and row is None and key[1] in computed_here:
            refusals.append(
                f"{where}：该单位的指标值由本平台根据登记数据计算，不接受导入；"
                "缺少的数值请补齐登记数据后由本平台计算。"
            )
            continue
        merged = {part: getattr(row, part) for part in PARTS} if row is not None else {}
        merged |= parts
        top, bottom = merged.get("numerator"), merged.get("denominator")
        if (
            _is_share(REGISTRY[key[0]])
            and top is not None
            and bottom is not None
            and top > bottom
            and {"numerator", "denominator"} & set(parts)
        ):
            refusals.append(f"{where}：分子（{top:g}）大于分母（{bottom:g}）。")
    return refusals


def _computed_units(reach: Reach, units: list[OrgUnit]) -> set[str]:
    """The codes of these units whose figures this install works out from its own records:
    those with a computed value stored (any indicator, any year) and those that are, or hold,
    a school of the registry (its values may not have been computed yet)."""
    stored = OrgUnit.objects.filter(pk__in=[u.pk for u in units]).filter(
        Exists(IndicatorValue.objects.filter(unit=OuterRef("pk"), origin=ValueOrigin.COMPUTED))
    )
    found = set(stored.values_list("code", flat=True))
    within = Q()
    for path in reach.paths:
        within |= Q(org_unit__path__startswith=path)
    # a path is the chain of codes from the root: each code on it holds the school
    holding = {
        code
        for path in School.objects.filter(within).values_list("org_unit__path", flat=True)
        for code in path.rstrip("/").split("/")
    }
    return found | ({u.code for u in units} & holding)


def _write(*, user, figures: dict, existing: dict, units: dict, address: str | None) -> dict:
    now = timezone.now()
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
