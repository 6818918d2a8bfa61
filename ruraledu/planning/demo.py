"""The demo's solved scenarios for the latest year, created once: the least-cost plan with
room for enough posts, the same under a budget too small, to compare side by side, and a 走教
assignment for the largest 学区 (or town)."""

from .inputs import DEFAULTS
from .models import Scenario, TravelScenario
from .services import scenario_create, scenario_solve
from .travel_data import largest_area
from .travel_services import travel_create

DEMO = [
    ("示例：按优质均衡标准补齐的最低成本方案", {**DEFAULTS, "max_posts": 20, "max_area": 5000}),
    (
        "示例：预算 1000 万元",
        {**DEFAULTS, "max_posts": 20, "max_area": 5000, "budget": 10_000_000},
    ),
]
TRAVEL_DEMO = "示例：走教安排"


def planning_demo_setup(*, actor, year: int) -> list[Scenario]:
    """Idempotent: a second run finds each scenario by name and year and adds nothing."""
    scenarios = []
    for name, inputs in DEMO:
        scenario = Scenario.objects.filter(name=name, year=year).first()
        if scenario is None:
            scenario = scenario_create(actor=actor, name=name, year=year, inputs=inputs)
        if scenario.result is None:
            scenario = scenario_solve(scenario_id=scenario.pk)
        scenarios.append(scenario)
    travel_demo_setup(actor=actor, year=year)
    return scenarios


def travel_demo_setup(*, actor, year: int) -> TravelScenario | None:
    existing = TravelScenario.objects.filter(name=TRAVEL_DEMO, year=year).first()
    area = largest_area()
    if existing or area is None:
        return existing
    return travel_create(actor=actor, name=TRAVEL_DEMO, year=year, area=area[0], inputs={})
