"""The demo's solved scenarios, created once: for the latest year the least-cost plan with room
for enough posts and the same under a budget too small, to compare side by side; a plan over
the next three years on the forecast's pupils, with a yearly budget and the 交流轮岗 eligible
teachers free to move; and a 走教 assignment for the largest 学区 (or town), its schools placed
on the map."""

import random

from .inputs import DEFAULTS
from .locations import locations_set
from .models import Scenario, SchoolLocation, TravelScenario
from .services import scenario_create, scenario_solve
from .travel_data import area_schools, largest_area
from .travel_services import travel_create

DEMO = [
    ("示例：按优质均衡标准补齐的最低成本方案", {**DEFAULTS, "max_posts": 20, "max_area": 5000}),
    (
        "示例：预算 1000 万元",
        {**DEFAULTS, "max_posts": 20, "max_area": 5000, "budget": 10_000_000},
    ),
]
MULTI_YEAR = (
    "示例：三年分步实施（按生源预测，轮岗教师可调动）",
    {
        **DEFAULTS,
        "max_posts": 20,
        "max_area": 5000,
        "years": 3,
        "budget": 12_000_000,
        "enrolment": "forecast",
        "movers_source": "rotation",
        "move_cost": 20000,
        "time_limit": 60,
    },
)
TRAVEL_DEMO = "示例：走教安排"
CENTRE = (36.64, 117.97)  # the demo district's schools are placed around here


def planning_demo_setup(*, actor, year: int) -> list[Scenario]:
    """Idempotent: a second run finds each scenario by name and year and adds nothing. The
    scenarios are of the actor's first district."""
    scenarios = []
    from ruraledu.accounts.choices import Action
    from ruraledu.forecast.models import ForecastRun
    from ruraledu.orgunits.districts import districts_covered

    unit = districts_covered(actor, Action.REVIEW)[0]

    demo = [(name, year, inputs) for name, inputs in DEMO]
    done = ForecastRun.objects.filter(unit=unit, status=ForecastRun.Status.DONE)
    if done.filter(base_year=year).exists():
        demo.append((MULTI_YEAR[0], year + 3, MULTI_YEAR[1]))
    for name, target, inputs in demo:
        scenario = Scenario.objects.filter(unit=unit, name=name, year=target).first()
        if scenario is None:
            scenario = scenario_create(
                actor=actor, unit=unit, name=name, year=target, inputs=inputs
            )
        if scenario.result is None:
            scenario = scenario_solve(scenario_id=scenario.pk)
        scenarios.append(scenario)
    travel_demo_setup(actor=actor, year=year)
    return scenarios


def locations_demo_setup(*, actor, area: str) -> None:
    """Made-up coordinates for the schools of an area (a few km apart), once."""
    schools = list(area_schools(area).order_by("org_unit__code").values_list("pk", flat=True))
    if SchoolLocation.objects.filter(school_id__in=schools).exists():
        return
    rng = random.Random(16)
    rows = [
        (
            pk,
            f"{CENTRE[0] + rng.uniform(-0.06, 0.06):.6f}",
            f"{CENTRE[1] + rng.uniform(-0.08, 0.08):.6f}",
        )
        for pk in schools
    ]
    locations_set(actor=actor, rows=rows)


def travel_demo_setup(*, actor, year: int) -> TravelScenario | None:
    existing = TravelScenario.objects.filter(name=TRAVEL_DEMO, year=year).first()
    area = largest_area()
    if existing or area is None:
        return existing
    locations_demo_setup(actor=actor, area=area[0])
    return travel_create(actor=actor, name=TRAVEL_DEMO, year=year, area=area[0], inputs={})
