"""A school's diagnosis against similar schools of the district (same 办学类型 and size band)
and over the years, read from the stored per-school values (three queries)."""

from ruraledu.indicators.models import IndicatorValue
from ruraledu.orgunits.models import School

from .units import evaluated_unit_of

SIZE = "evaluation_school_size_rate"  # stores each school's compulsory-grade pupils
# (lower bound, upper bound or None, label)
SIZE_BANDS = (
    (0, 100, "不足 100 人"),
    (100, 500, "100—499 人"),
    (500, 1000, "500—999 人"),
    (1000, 2000, "1000—1999 人"),
    (2000, None, "2000 人及以上"),
)


def size_band(pupils: int) -> tuple:
    return next(b for b in SIZE_BANDS if pupils >= b[0] and (b[1] is None or pupils < b[1]))


def _pupils(value) -> int | None:
    return (value.details or {}).get("students") if value is not None else None


def similar_schools(school, year: int) -> tuple[str, list[int]]:
    """(band label, ids of the other schools of the same stage and size band) in `year`, in
    the school's own district."""
    district = evaluated_unit_of(school.path)
    values = IndicatorValue.objects.filter(code=SIZE, year=year, unit__kind="school")
    if district is not None:
        values = values.filter(unit__path__startswith=district.path)
    sizes = {v.unit_id: _pupils(v) for v in values}
    own = sizes.get(school.pk)
    if own is None:
        return "", []
    band = size_band(own)
    stage = School.objects.filter(pk=school.pk).values_list("stage", flat=True).first()
    peers = set(School.objects.filter(stage=stage, pk__in=list(sizes)).values_list("pk", flat=True))
    return band[2], [
        unit
        for unit, pupils in sizes.items()
        if unit in peers and unit != school.pk and pupils is not None and size_band(pupils) == band
    ]


def peer_figures(codes, peers: list[int], year: int) -> dict[str, dict]:
    """Per code: peers valued, the share of them meeting the standard and their mean value."""
    by_code: dict[str, list] = {}
    for v in IndicatorValue.objects.filter(code__in=list(codes), unit__in=peers, year=year):
        by_code.setdefault(v.code, []).append(v)
    figures = {}
    for code, values in by_code.items():
        marks = [_met(v) for v in values]
        marks = [m for m in marks if m is not None]
        numbers = [v.value for v in values if v.value is not None]
        figures[code] = {
            "count": len(values),
            "met": round(sum(marks) / len(marks) * 100) if marks else None,
            "mean": sum(numbers) / len(numbers) if numbers else None,
        }
    return figures


def _met(v) -> bool | None:
    """Whether one school meets the item, from its stored mark (or its ratio when it has none)."""
    mark = (v.details or {}).get("mark")
    if mark is not None:
        return mark == "pass"
    if v.numerator is not None and v.denominator:
        return v.numerator >= v.denominator
    return None


def trend(school, codes) -> tuple[list[int], dict[str, dict[int, object]]]:
    """The school's stored values over the years: (years, code -> year -> value)."""
    values: dict[str, dict[int, object]] = {}
    years = set()
    for v in IndicatorValue.objects.filter(unit=school, code__in=list(codes)).order_by("year"):
        values.setdefault(v.code, {})[v.year] = v
        years.add(v.year)
    return sorted(years), values
