"""Comparing computed figures with standards. Float arithmetic lands a hair off an exact
standard (9 teachers for 1,000 pupils is 0.8999999999999999 per hundred, not 0.9), so a value
within a relative 1e-9 of a bound counts as at the bound. Every check of a figure against a
standard, a limit or a target goes through these."""

RELATIVE = 1e-9


def _slack(bound: float) -> float:
    return RELATIVE * max(1.0, abs(bound))


def at_least(value: float, bound: float) -> bool:
    return value >= bound - _slack(bound)


def at_most(value: float, bound: float) -> bool:
    return value <= bound + _slack(bound)


def above(value: float, bound: float) -> bool:
    """Strictly above, by more than rounding noise."""
    return value > bound + _slack(bound)


def below(value: float, bound: float) -> bool:
    """Strictly below, by more than rounding noise."""
    return value < bound - _slack(bound)


def equal(value: float, bound: float) -> bool:
    return abs(value - bound) <= _slack(bound)
