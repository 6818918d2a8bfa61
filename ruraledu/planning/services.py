"""Writes of planning: scenarios only (the registry is read, never written), each audited."""

import datetime as dt
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.orgunits.districts import districts_covered

from .checker import plan_check, rules
from .choices import ScenarioStatus
from .inputs import inputs_clean
from .models import Scenario
from .plan_data import inputs_check, movers, plan_schools
from .selectors import may_plan
from .solver import TEACHER_KEYS, naive_plan, plan_cost, solve


def _ensure_planning(actor) -> None:
    """Planning is a bureau's: a district's for its district, the city's for each."""
    if not may_plan(actor):
        raise Http404("方案不存在")


def _ensure_planner(actor, unit) -> None:
    """A district out of the actor's reach is as one that does not exist."""
    if unit is None or unit not in districts_covered(actor, Action.REVIEW):
        raise Http404("方案不存在")


@transaction.atomic
def scenario_create(*, actor, name: str, year: int, inputs: dict, unit=None) -> Scenario:
    """A scenario of the district `unit`; without one, of the actor's only district."""
    if unit is None:
        units = districts_covered(actor, Action.REVIEW)
        if len(units) > 1:
            raise ValidationError("请选择区县。")
        unit = units[0] if units else None
    _ensure_planner(actor, unit)
    if not name.strip():
        raise ValidationError("方案名称不能为空。")
    scenario = Scenario(
        unit=unit, name=name.strip(), year=year, inputs=inputs_clean(inputs), created_by=actor
    )
    inputs_check(year, scenario.inputs, unit)
    scenario.full_clean()
    scenario.save()
    audit_record(
        actor=actor,
        instance=scenario,
        action=AuditAction.CREATE,
        after=snapshot(scenario),
        summary=f"新建达标最低成本方案“{scenario.name}”",
    )
    return scenario


@transaction.atomic
def scenario_update(*, actor, scenario: Scenario, name: str, year: int, inputs: dict) -> Scenario:
    _ensure_planner(actor, scenario.unit)
    before = snapshot(scenario)
    scenario.name, scenario.year, scenario.inputs = name.strip(), year, inputs_clean(inputs)
    inputs_check(year, scenario.inputs, scenario.unit)
    scenario.status, scenario.result, scenario.gap = ScenarioStatus.DRAFT, None, None
    scenario.message = ""
    scenario.full_clean()
    scenario.save()
    audit_record(
        actor=actor,
        instance=scenario,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(scenario),
        summary=f"修改达标最低成本方案“{scenario.name}”的输入",
    )
    return scenario


SOLVING = "该方案正在求解（{status}），未重复求解；完成后本页显示结果。"
# beyond the solve's own time limit, the wait in the task queue: a solve asked for longer
# ago than both is taken as lost (its worker stopped) and may be asked for again
QUEUE_WAIT = dt.timedelta(minutes=30)


def _solving(scenario: Scenario, now) -> bool:
    if scenario.status not in (ScenarioStatus.QUEUED, ScenarioStatus.RUNNING):
        return False
    limit = dt.timedelta(seconds=float(scenario.inputs.get("time_limit") or 0)) + QUEUE_WAIT
    return scenario.queued_at is not None and now - scenario.queued_at < limit


@transaction.atomic
def scenario_run_request(*, actor, scenario: Scenario) -> Scenario:
    """Queue the solve in the background once the transaction commits. A scenario whose
    solve is queued or running is refused (a second click, another tab): its row is locked
    while it is read, so two requests at once queue one solve. An edit of the inputs sets
    the scenario back to a draft, so the new inputs can be solved; a solve asked for longer
    ago than it can take (a worker stopped) may be asked for again."""
    from .tasks import run_scenario

    _ensure_planner(actor, scenario.unit)
    scenario = Scenario.objects.select_for_update().select_related("unit").get(pk=scenario.pk)
    now = timezone.now()
    if _solving(scenario, now):
        raise ValidationError(SOLVING.format(status=scenario.get_status_display()))
    scenario.status, scenario.message, scenario.queued_at = ScenarioStatus.QUEUED, "", now
    scenario.save(update_fields=["status", "message", "queued_at"])
    audit_record(
        actor=actor,
        instance=scenario,
        action=AuditAction.UPDATE,
        after={"status": scenario.status},
        summary=f"开始求解方案“{scenario.name}”",
    )
    transaction.on_commit(partial(run_scenario.enqueue, scenario_id=scenario.pk))
    return scenario


EDITED = "求解期间方案的输入已修改，本次结果未保存，请重新求解。"


def scenario_solve(*, scenario_id: int) -> Scenario:
    """The job: read the registry, solve, check exactly, compare with the naive plan, store."""
    scenario = Scenario.objects.select_related("unit").get(pk=scenario_id)
    Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.RUNNING)
    try:
        result = plan_result(year=scenario.year, inputs=scenario.inputs, unit=scenario.unit)
    except ValidationError as exc:  # the registry changed since the inputs were saved
        _store(scenario, status=ScenarioStatus.FAILED, message="；".join(exc.messages)[:300])
        scenario.refresh_from_db()
        return scenario
    except Exception as exc:  # the scenario records the failure; the worker logs the traceback
        _store(scenario, status=ScenarioStatus.FAILED, message=f"求解失败：{exc}"[:300])
        raise
    _store(
        scenario,
        status=ScenarioStatus.DONE if result["schools"] else ScenarioStatus.FAILED,
        result=result,
        gap=result.get("gap"),
        message=result["message"][:300],
    )
    scenario.refresh_from_db()
    return scenario


@transaction.atomic
def _store(scenario: Scenario, **outcome) -> None:
    """The solve's outcome, kept only if the scenario still holds the inputs it was solved
    from: an edit made meanwhile stays, and its author is asked to solve again."""
    current = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if (current.year, current.inputs) != (scenario.year, scenario.inputs):
        outcome = {"status": ScenarioStatus.FAILED, "message": EDITED}
    Scenario.objects.filter(pk=scenario.pk).update(finished_at=timezone.now(), **outcome)


def _school_cost(by_year: list[dict], moves_in: list[dict], costs: dict) -> float:
    years = len(by_year)
    total = sum(m["cost"] for m in moves_in)
    for t, adds in enumerate(by_year):
        for k, v in adds.items():
            total += costs[k] * v * ((years - t) if k in TEACHER_KEYS else 1)
    return float(total)


def plan_result(*, year: int, inputs: dict, unit) -> dict:
    """Everything the pages show for the district `unit`, as plain JSON."""
    inputs = {**inputs, "years": inputs.get("years") or 1}
    schools, data_year, basis = plan_schools(year, inputs, unit)
    if not schools:
        return {
            "schools": [],
            "message": f"{year} 学年没有参评学校的数据（在校生、设施、教师），无法求解。",
        }
    solve_inputs = {**inputs, "movers": movers(data_year, inputs, unit)}
    partial_share, limits = rules()
    solved = solve(schools, solve_inputs, partial=partial_share, cv_limits=limits)
    moves = solved["moves"]
    before = plan_check(schools, {})
    checked = plan_check(schools, solved["plan"], moves)
    failing = {u for u, j in before["schools"].items() if not j["verdict"]}
    naive = naive_plan(schools, failing=failing)
    naive_cost = plan_cost(naive, inputs["costs"])
    naive_checked = plan_check(schools, naive)
    names = {s["unit"]: s["name"] for s in schools}
    years = inputs["years"]
    plan_years = list(range(year - years + 1, year + 1))
    rows = []
    for school in schools:
        unit = school["unit"]
        by_year = solved["by_year"].get(unit, [{}] * years)
        moves_in = [
            {"name": m["name"], "from": names.get(m["home"], m["home_name"]), "cost": m["cost"]}
            for m in moves
            if m["to"] == unit
        ]
        rows.append(
            {
                "unit": unit,
                "code": school["code"],
                "name": school["name"],
                "students": school["students"],
                "thresholds": school["thresholds"],
                "adds": solved["plan"].get(unit, {}),
                "by_year": [
                    {"year": y, "adds": adds}
                    for y, adds in zip(plan_years, by_year, strict=True)
                    if adds
                ],
                "moves_in": moves_in,
                "moves_out": [
                    {"name": m["name"], "to": names.get(m["to"], "")}
                    for m in moves
                    if m["home"] == unit
                ],
                "cost": _school_cost(by_year, moves_in, inputs["costs"]),
                "before": before["schools"][unit],
                "after": checked["schools"][unit],
            }
        )
    still = [r["name"] for r in rows if not r["after"]["verdict"]]
    if checked["passes"]:
        message = "方案经逐项核验：全部学校达到逐校标准，差异系数均在限值内。"
    elif solved["mode"] == "partial":
        message = (
            "预算或每校限额不足以使全部学校达标；下面是限额内达标学校最多的方案，"
            f"仍有 {len(still)} 所学校未达标。"
        )
    else:
        message = "方案未通过逐项核验（见差异系数或学校结论），不能视为达标方案。"
    if solved["timed_out"]:
        message += "已达求解时限，以下为目前找到的最好方案。"
    return {
        "schools": rows,
        "passes": checked["passes"],
        "mode": solved["mode"],
        "cost": solved["cost"],
        "year_costs": [
            {"year": y, "cost": c}
            for y, c in zip(plan_years, solved["year_costs"] or [0] * years, strict=True)
        ],
        "moves": len(moves),
        "movers_offered": len(solve_inputs["movers"]),
        "basis": basis,
        "naive_cost": naive_cost,
        "naive_passes": naive_checked["passes"],
        "saving": naive_cost - solved["cost"],
        "gap": solved["gap"],
        "rounds": solved["rounds"],
        "floors": solved["floors"],
        "timed_out": solved["timed_out"],
        "seconds": solved["seconds"],
        "budget": inputs.get("budget"),
        "coefficients_before": before["coefficients"],
        "coefficients": checked["coefficients"],
        "failing_before": len(failing),
        "still_failing": still,
        "message": message,
    }
