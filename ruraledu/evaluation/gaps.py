"""What is missing, by responsible unit: each item not yet passed, with how far the district is
from the standard ("还差 3 所学校", "音乐教室缺 4 间"), the towns that hold the gap and the
records behind it. Read from the stored values; two queries whatever the number of items."""

from django.db.models import Q

from ruraledu.indicators.drilldown import drill_parts
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue
from ruraledu.orgunits.choices import OrgUnitKind

from .choices import Verdict
from .verdicts import meets


def _count(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def gap_text(result, stored) -> str:
    """How far an item is from its standard, in words."""
    item = result.item
    if result.verdict == Verdict.PENDING:
        return result.basis
    if stored is None:
        return result.basis or "未达到标准"
    details = stored.details or {}
    if "music_short" in details:  # G03: rooms the district lacks
        short = (stored.denominator or 0) - (stored.numerator or 0)
        return (
            f"音乐教室缺 {details['music_short']} 间、美术教室缺 {details['art_short']} 间"
            f"（面积不足的计入未达标），还差 {_count(short)} 所学校"
        )
    indicator = REGISTRY.get(stored.code)
    if stored.numerator is not None and stored.denominator and indicator is not None:
        short = stored.denominator - stored.numerator
        if indicator.higher_is_better and short > 0:
            label = indicator.denominator_label or "分母"
            return (
                f"还差 {_count(short)}：{label} {_count(stored.denominator)}，"
                f"{indicator.numerator_label or '达到'} {_count(stored.numerator)}"
            )
    first = f"{item.value_label} {result.value:.2f}{item.unit}" if result.value is not None else ""
    second = (
        f"{item.second_label} {result.second_value:.2f}"
        if item.has_second and result.second_value is not None
        else ""
    )
    return "；".join(t for t in (first, second) if t) or "未达到标准"


def responsible_gaps(results: list, year: int, root) -> list[dict]:
    """Failing and undecided items grouped by responsible unit, the most failures first."""
    if root is None:
        return []
    open_items = [r for r in results if r.verdict != Verdict.PASS]
    codes = {
        c for r in open_items for c in (r.item.indicator_code, r.item.second_indicator_code) if c
    }
    at_root, by_town = {}, {}
    units = Q(unit=root) | Q(unit__kind=OrgUnitKind.TOWN, unit__path__startswith=root.path)
    for v in IndicatorValue.objects.filter(units, code__in=codes, year=year).select_related("unit"):
        if v.unit_id == root.pk:
            at_root[v.code] = v
        elif v.unit.kind == OrgUnitKind.TOWN and v.numerator is not None and v.denominator:
            short = v.denominator - v.numerator
            if short > 0:
                by_town.setdefault(v.code, []).append((v.unit.name, _count(short)))
    groups: dict[str, list] = {}
    for r in open_items:
        code = r.item.indicator_code
        # the first value of a two-value item, unless only the second falls short
        stored = at_root.get(code)
        if r.item.second_indicator_code and r.verdict == Verdict.FAIL and r.value is not None:
            if meets(r.value, r.item.comparator, r.item.threshold) == Verdict.PASS:
                code = r.item.second_indicator_code
                stored = at_root.get(code)
        parts = drill_parts(REGISTRY[code]) if code in REGISTRY else {}
        part = "short" if "short" in parts else next(iter(parts), None)
        groups.setdefault(r.item.responsible or "未指定", []).append(
            {
                "result": r,
                "text": gap_text(r, stored),
                "towns": sorted(by_town.get(code, []), key=lambda t: t[0]),
                "drill": (code, part) if stored is not None and part else None,
            }
        )
    ordered = sorted(
        groups.items(),
        key=lambda g: (-sum(1 for e in g[1] if e["result"].verdict == Verdict.FAIL), g[0]),
    )
    return [
        {
            "unit": unit,
            "failed": sum(1 for e in entries if e["result"].verdict == Verdict.FAIL),
            "pending": sum(1 for e in entries if e["result"].verdict == Verdict.PENDING),
            "entries": entries,
        }
        for unit, entries in ordered
    ]
