"""Writes of 走教 scenarios (bureau only, audited); the registry is read, never written."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot

from .models import TravelScenario
from .services import _ensure_bureau
from .travel import travel_solve
from .travel_data import HOURS, area_problem, areas

DEFAULTS = {
    "hours": dict(HOURS),
    "weekly_max": 16,  # lessons a teacher of these subjects teaches a week in all
    "per_day": 4,  # lessons one visit to a school can hold
    "km_cap": 120,  # kilometres of travel per teacher per week
    "default_km": 8,  # between two schools of an area when no distance is given
    "distances": [],  # [code a, code b, km]
    "locks": [],  # [teacher id, school unit, lessons]; 0 lessons forbids the pair
    "time_limit": 20,
}


def travel_result(scenario: TravelScenario) -> dict:
    inputs = scenario.inputs
    schools, teachers = area_problem(
        scenario.area, scenario.year, inputs["hours"], inputs["weekly_max"]
    )
    if not schools:
        return {**travel_solve([], [], {}), "message": "该片区没有义务教育学校，无法测算走教。"}
    code_to_unit = {s["code"]: s["unit"] for s in schools}
    distances = {}
    for a, b, km in inputs["distances"]:
        if a in code_to_unit and b in code_to_unit:
            distances[tuple(sorted((code_to_unit[a], code_to_unit[b])))] = km
    solved = travel_solve(
        schools,
        teachers,
        {
            **inputs,
            "distances": distances,
            "locks": {(t, u): n for t, u, n in inputs["locks"]},
        },
    )
    names = {s["unit"]: s["name"] for s in schools}
    for row in solved["assignments"]:
        row["home_name"], row["school_name"] = names[row["home"]], names[row["unit"]]
    for row in solved["uncovered"]:
        row["school_name"] = names[row["unit"]]
    solved["schools"] = schools
    solved["teachers"] = len(teachers)
    return solved


@transaction.atomic
def travel_create(*, actor, name: str, year: int, area: str, inputs: dict) -> TravelScenario:
    _ensure_bureau(actor)
    labels = dict(areas())
    if not name.strip():
        raise ValidationError("方案名称不能为空。")
    if area not in labels:
        raise ValidationError("请选择一个学区或镇街。")
    scenario = TravelScenario(
        name=name.strip(),
        year=year,
        area=area,
        area_name=labels[area],
        inputs={**DEFAULTS, **inputs},
        created_by=actor,
    )
    scenario.result = travel_result(scenario)
    scenario.save()
    audit_record(
        actor=actor,
        instance=scenario,
        action=AuditAction.CREATE,
        after=snapshot(scenario),
        summary=f"新建并求解走教方案“{scenario.name}”",
    )
    return scenario


@transaction.atomic
def travel_lock(*, actor, scenario: TravelScenario, locks: list) -> TravelScenario:
    """Keep the given (teacher, school, lessons) fixed and solve the rest again."""
    _ensure_bureau(actor)
    before = {"locks": scenario.inputs.get("locks", [])}
    scenario.inputs = {**scenario.inputs, "locks": [[int(t), int(u), int(n)] for t, u, n in locks]}
    scenario.result = travel_result(scenario)
    scenario.save(update_fields=["inputs", "result"])
    audit_record(
        actor=actor,
        instance=scenario,
        action=AuditAction.UPDATE,
        before=before,
        after={"locks": scenario.inputs["locks"]},
        summary=f"锁定走教安排并重新求解“{scenario.name}”",
    )
    return scenario
