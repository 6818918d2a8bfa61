"""Hand-made schools in the shape `district_schools` returns: primary schools of 100 pupils
whose sums meet every standard unless a test changes them."""

import pytest

from ruraledu.indicators.standards import reset_cache

PRIMARY = {"r1": 4.2, "r2": 1.0, "r3": 0.9, "r4": 4.5, "r5": 7.5, "r6": 2000, "r7": 2.3}
SUMS = {"r1": 5, "r2": 1, "r3": 1, "r4": 450, "r5": 750, "r6": 200000, "r7": 3}
COSTS = {"r1": 120000, "r2": 150000, "r3": 120000, "r4": 3000, "r5": 1200, "r6": 1, "r7": 80000}


def school(unit: int, students: int = 100, stage: str = "primary", **sums) -> dict:
    return {
        "unit": unit,
        "code": f"S{unit}",
        "name": f"学校{unit}",
        "stage": stage,
        "students": students,
        "weights": {"primary": students},
        "sums": {**{k: v * students / 100 for k, v in SUMS.items()}, **sums},
        "thresholds": dict(PRIMARY),
    }


def inputs(**changes) -> dict:
    return {
        "costs": dict(COSTS),
        "max_area": 3000,
        "max_posts": 10,
        "limits": {},
        "budget": None,
        "time_limit": 20,
        **changes,
    }


@pytest.fixture(autouse=True)
def fresh_standards(db):
    reset_cache()
    yield
    reset_cache()
