"""Figures shown against a threshold, so that a failing value never reads like a passing one.

`{{ value|vs:target }}` formats a value (a number, or an object with `value` and, when known,
`numerator`, `denominator` and `code`, such as an indicator value or a target state) against a
target (or a bare threshold, the direction then coming from the indicator):

* more digits are shown while rounding would put a failing value onto or past the threshold
  (99.96 against ≥ 100 reads 99.96, never 100.0);
* when the numerator and denominator of a rate are known, the gap is given in the indicator's
  natural unit: 差 2 人 = ceil(threshold × denominator − numerator).
"""

import math
from decimal import Decimal

from django import template
from django.utils.html import format_html

from ruraledu.indicators.compare import at_least, at_most, equal
from ruraledu.indicators.engine import REGISTRY

register = template.Library()

TOLERANCE = 1e-9  # slack for rounding noise when counting a gap
MAX_DIGITS = 6


def counter_word(denominator_label: str) -> str:
    """The measure word for what a rate's denominator counts (学校数 → 所, 学生数 → 人)."""
    # a label names what is counted, with or without 数 (学校数, 学困生, 留守和困境儿童)
    stem = (denominator_label or "").removesuffix("数")
    if stem.endswith(("园", "校")):
        return "所"
    if stem.endswith(("间", "次", "项")):  # the label ends in its own measure word (次数, 事项)
        return stem[-1]
    if stem.endswith(("人", "生", "师", "工", "儿", "童", "长", "少年", "子女")):
        return "人"
    return "个"


def passes(value: float, comparator: str, low: float | None, high: float | None = None):
    """Whether `value` meets the threshold, with the slack the target evaluation allows
    (None when the comparator has no threshold)."""
    if low is None:
        return None
    match comparator:
        case "gte":
            return at_least(value, low)
        case "lte":
            return at_most(value, low)
        case "eq":
            return equal(value, low)
        case "between":
            return high is not None and at_least(value, low) and at_most(value, high)
    return None


def shown(value: float, *, comparator: str, low, high=None, base_digits: int) -> str:
    """`value` with `base_digits` decimals, or more when fewer would make it read as passing."""
    if passes(value, comparator, low, high) is not False:
        return f"{value:.{base_digits}f}"
    digits = base_digits
    while digits <= MAX_DIGITS:
        text = f"{value:.{digits}f}"
        if not _meets_exactly(float(text), comparator, low, high):
            return text
        digits += 1
    # so close that no sensible number of digits tells them apart: say which side it is on
    return ("< " if value < low else "> ") + f"{low:g}"


def _meets_exactly(value: float, comparator: str, low: float, high: float | None) -> bool:
    match comparator:
        case "gte":
            return value >= low
        case "lte":
            return value <= low
        case "eq":
            return value == low
        case "between":
            return high is not None and low <= value <= high
    return False


def gap(
    *,
    value: float,
    numerator,
    denominator,
    comparator: str,
    low: float,
    unit: str,
    noun: str,
) -> str:
    """差 N 人 / 超 N 人 for a failing rate whose numerator and denominator are known."""
    if unit != "%" or numerator is None or not denominator:
        return ""
    if abs(numerator / denominator * 100 - value) > 1e-6:
        return ""  # the value is not this simple rate: no count can be read off it
    if comparator == "gte":
        needed = math.ceil(low / 100 * denominator - numerator - TOLERANCE)
        return f"差 {needed} {noun}" if needed > 0 else ""
    if comparator == "lte":
        excess = math.ceil(numerator - low / 100 * denominator - TOLERANCE)
        return f"超 {excess} {noun}" if excess > 0 else ""
    return ""


def backing_value(state, value):
    """`value` (a stored indicator value with numerator and denominator) when it is the very
    figure a target state reports, else the state itself."""
    if state is None or value is None or getattr(state, "value", None) is None:
        return state
    if getattr(value, "year", None) != getattr(state, "value_year", None):
        return state
    if value.value is None or abs(value.value - state.value) > 1e-9:
        return state
    return value


@register.filter
def backed_by(state, values):
    """The stored value among `values` that a target state reports (see `backing_value`)."""
    for value in values or ():
        if getattr(value, "year", None) == getattr(state, "value_year", None):
            return backing_value(state, value)
    return state


def base_digits(value: float, unit: str) -> int:
    """Counts (项, 人, 所) read as whole numbers; rates and ratios with two decimals."""
    return 0 if unit != "%" and value == int(value) and abs(value) < 1e12 else 2


def _number(value):
    return float(value) if isinstance(value, int | float | Decimal) else None


@register.filter
def vs(subject, reference=None) -> str:
    """A value with its unit, in enough digits, and its gap to the threshold when failing (the
    gap in a <small>, so that it reads as a note on the figure)."""
    value = _number(subject)
    numerator = denominator = code = None
    if value is None and subject is not None:
        value = _number(getattr(subject, "value", None))
        numerator = _number(getattr(subject, "numerator", None))
        denominator = _number(getattr(subject, "denominator", None))
        code = getattr(subject, "code", None)
    if value is None:
        return "—"
    comparator, low, high, unit = "", None, None, ""
    if hasattr(reference, "comparator"):  # a target
        comparator = reference.comparator
        low = _number(reference.threshold)
        high = _number(getattr(reference, "threshold_max", None))
        unit = reference.unit
        code = code or reference.indicator_code
    indicator = REGISTRY.get(code) if code else None
    if _number(reference) is not None:  # a bare threshold: the indicator says which way is good
        low = _number(reference)
        comparator = "gte" if indicator is None or indicator.higher_is_better else "lte"
    if not unit and indicator is not None:
        unit = indicator.unit
    base = base_digits(value, unit)
    text = shown(value, comparator=comparator, low=low, high=high, base_digits=base) + unit
    if passes(value, comparator, low, high) is False:
        noun = counter_word(indicator.denominator_label if indicator else "")
        short = gap(
            value=value,
            numerator=numerator,
            denominator=denominator,
            comparator=comparator,
            low=low,
            unit=unit,
            noun=noun,
        )
        if short:
            return format_html('{}<small class="figure-gap">（{}）</small>', text, short)
    return text
