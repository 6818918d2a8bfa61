"""What is missing, by responsible unit: each item not yet passed, with how far the district is
from the standard ("还差 3 所学校", "音乐教室缺 4 间"), the towns that hold the gap and the
records behind it. Read from the stored values; two queries whatever the number of items."""

import math
from dataclasses import dataclass

from django.db.models import Q

from ruraledu.indicators.drilldown import drill_parts
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS

from .choices import Comparator, Verdict
from .verdicts import meets


def _count(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


@dataclass(frozen=True)
class Shortfall:
    gap: int  # how many are missing (or over the limit)
    target: int  # the count the standard asks for
    over: bool = False  # the numerator exceeds a 不高于 limit
    of_denominator: bool = False  # the denominator must grow (a ratio with an upper limit)


def shortfall(stored, comparator: str, threshold: float | None, unit: str) -> Shortfall | None:
    """How far a stored count-based value is from its standard, in counts; None when the
    value is not numerator ÷ denominator (× 100 for a rate) or the standard is not numeric."""
    num, den = stored.numerator, stored.denominator
    if threshold is None or num is None or not den or stored.value is None:
        return None
    scale = 100.0 if unit == "%" else 1.0
    if abs(num / den * scale - stored.value) > 0.01:
        return None  # the value is not the plain fraction of its counts
    # rounded first so that 0.95 × 100 does not ask for 96
    exact = round(threshold / scale * den, 6)
    if comparator == Comparator.AT_LEAST:
        need = math.ceil(exact)
        return Shortfall(max(need - math.ceil(num), 0), need)
    if comparator == Comparator.AT_MOST and threshold > 0:
        if scale == 1.0:  # e.g. children per teacher: the teachers are what is missing
            need = math.ceil(round(num / threshold, 6))
            return Shortfall(max(need - math.floor(den), 0), need, of_denominator=True)
        limit = math.floor(exact)
        return Shortfall(max(math.ceil(num) - limit, 0), limit, over=True)
    return None


def _standard(item, second: bool) -> tuple[str, float | None, str]:
    if second:
        return item.second_comparator, item.second_threshold, item.second_unit
    return item.comparator, item.threshold, item.unit


def _short_text(s: Shortfall, stored, indicator) -> str:
    num_label = indicator.numerator_label or ("分子" if s.of_denominator else "达到")
    den_label = indicator.denominator_label or "分母"
    num, den = _count(stored.numerator), _count(stored.denominator)
    if s.of_denominator:
        return f"{den_label}还差 {s.gap}：现有 {den}，按{num_label} {num} 计至少需 {s.target}"
    if s.over:
        return f"超出 {s.gap}：{den_label} {den}，{num_label} {num}，按标准至多 {s.target}"
    needed = f"，达到标准需 {s.target}" if s.target != stored.denominator else ""
    return f"还差 {s.gap}：{den_label} {den}，{num_label} {num}{needed}"


def _off_by(value: float, comparator: str, threshold: float | None, unit: str) -> str:
    """How far a plain value misses its standard, in its unit ("" when it meets it)."""
    if meets(value, comparator, threshold) != Verdict.FAIL:
        return ""
    if comparator == Comparator.AT_LEAST:
        return f"（比标准低 {threshold - value:.2f}{unit}）"
    return f"（比标准高 {value - threshold:.2f}{unit}）"


def gap_text(result, stored, second: bool = False) -> str:
    """How far an item is from its standard, in words; `stored` is the value of its second
    indicator when `second` (only the second value falls short)."""
    item = result.item
    if result.verdict == Verdict.PENDING:
        return result.basis
    if stored is None:
        return result.basis or "未达到标准"
    details = stored.details or {}
    standard = _standard(item, second)
    short = shortfall(stored, *standard)
    if "music_short" in details:  # G03: rooms the district lacks
        schools = short.gap if short else (stored.denominator or 0) - (stored.numerator or 0)
        return (
            f"音乐教室缺 {details['music_short']} 间、美术教室缺 {details['art_short']} 间"
            f"（面积不足的计入未达标），还差 {_count(schools)} 所学校"
        )
    indicator = REGISTRY.get(stored.code)
    if short is not None and short.gap > 0 and indicator is not None:
        return _short_text(short, stored, indicator)
    first = second_text = ""
    if result.value is not None:
        first = f"{item.value_label} {result.value:.2f}{item.unit}" + _off_by(
            result.value, *_standard(item, False)
        )
    if item.has_second and result.second_value is not None:
        second_text = f"{item.second_label} {result.second_value:.2f}{item.second_unit}" + _off_by(
            result.second_value, *_standard(item, True)
        )
    return "；".join(t for t in (first, second_text) if t) or "未达到标准"


def responsible_gaps(results: list, year: int, root) -> list[dict]:
    """Failing and undecided items grouped by responsible unit, the most failures first."""
    if root is None:
        return []
    open_items = [r for r in results if r.verdict != Verdict.PASS]
    codes = {
        c for r in open_items for c in (r.item.indicator_code, r.item.second_indicator_code) if c
    }
    at_root, at_towns = {}, {}
    # every town-level unit (镇, 街道, 开发区), so that the towns cover the district
    units = Q(unit=root) | Q(unit__kind__in=TOWN_LEVEL_KINDS, unit__path__startswith=root.path)
    for v in IndicatorValue.objects.filter(units, code__in=codes, year=year).select_related("unit"):
        if v.unit_id == root.pk:
            at_root[v.code] = v
        elif v.unit.kind in TOWN_LEVEL_KINDS:
            at_towns.setdefault(v.code, []).append(v)
    groups: dict[str, list] = {}
    for r in open_items:
        code, second = r.item.indicator_code, False
        # the first value of a two-value item, unless only the second falls short
        if r.item.second_indicator_code and r.verdict == Verdict.FAIL and r.value is not None:
            if meets(r.value, r.item.comparator, r.item.threshold) == Verdict.PASS:
                code, second = r.item.second_indicator_code, True
        stored = at_root.get(code)
        standard = _standard(r.item, second)
        towns = []
        for v in at_towns.get(code, []):
            short = shortfall(v, *standard)
            if short is not None and short.gap > 0:
                towns.append((v.unit.name, short.gap))
        parts = drill_parts(REGISTRY[code]) if code in REGISTRY else {}
        part = "short" if "short" in parts else next(iter(parts), None)
        groups.setdefault(r.item.responsible or "未指定", []).append(
            {
                "result": r,
                "text": gap_text(r, stored, second),
                "towns": sorted(towns),
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
