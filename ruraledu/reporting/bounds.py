"""What a reported value of a measured target may be. Every measure in the plan is a count,
a rate or a ratio, so none is below zero, and a percentage is at most 100."""

from decimal import Decimal

ZERO, HUNDRED = Decimal(0), Decimal(100)


def value_bounds(target) -> tuple[Decimal, Decimal | None]:
    """(lowest, highest or None) a report may give for `target`."""
    return ZERO, HUNDRED if target.unit == "%" else None


def value_problem(target, value: Decimal) -> str | None:
    low, high = value_bounds(target)
    if value < low:
        return f"不能小于 {low}"
    if high is not None and value > high:
        return f"不能大于 {high}{target.unit}"
    return None
