"""The least-cost plan as a mixed-integer program (HiGHS through scipy.optimize.milp).

Per school and resource k (r1…r7 of the 优质均衡 method) an integer addition x_k and a binary
z_k (k may stay under the standard, at ≥ 85 % of it); Σz ≤ 1. A new 骨干 or 体育艺术 teacher is
assumed to hold 规定学历 or above, so it also counts for r1. The 差异系数 is not linear: after a
solve its exact value is computed; where it is over the limit, a floor on the per-student value
of the schools of that part is raised (raising a value under the mean always lowers the CV) and
the program is solved again. Floors only rise, so the loop ends; the checker has the last word.
"""

import math
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from ruraledu.indicators.definitions.quality import RESOURCES, weighted_cv

KEYS = list(RESOURCES)
TEACHER_KEYS = ("r1", "r2", "r3")
AREA_KEYS = ("r4", "r5")
# what an addition of each kind is called in the plan, and its unit
ADDITIONS = {
    "r1": ("高于规定学历教师", "名"),
    "r2": ("骨干教师", "名"),
    "r3": ("体育、艺术教师", "名"),
    "r4": ("教学及辅助用房", "㎡"),
    "r5": ("体育运动场馆", "㎡"),
    "r6": ("教学仪器设备", "元"),
    "r7": ("网络多媒体教室", "间"),
}
MAX_ROUNDS = 25


def effects(adds: dict[str, int]) -> dict[str, float]:
    """What additions do to the seven sums."""
    out = {k: float(adds.get(k, 0)) for k in KEYS}
    out["r1"] += adds.get("r2", 0) + adds.get("r3", 0)
    return out


def per_student(school: dict, key: str, adds: dict | None = None) -> float:
    extra = effects(adds or {})[key]
    return (school["sums"][key] + extra) / school["students"] * RESOURCES[key][2]


def _required(school: dict, key: str, level: float) -> float:
    """Addition (before cross-counting) needed for a per-student value of `level`."""
    return level * school["students"] / RESOURCES[key][2] - school["sums"][key]


def _part_points(schools, plan, key, part):
    return [
        (per_student(s, key, plan.get(s["unit"])), s["weights"].get(part, 0))
        for s in schools
        if s["weights"].get(part)
    ]


def _floor_for(points: list[tuple[float, float]], limit: float) -> float:
    """The lowest floor f such that raising every value under f to f brings the CV to the limit."""
    low, high = min(x for x, _ in points), max(x for x, _ in points)
    target = limit * (1 - 1e-4)
    for _ in range(60):
        middle = (low + high) / 2
        cv = weighted_cv([(max(x, middle), p) for x, p in points]) or 0.0
        low, high = (low, middle) if cv <= target else (middle, high)
    return high


def _program(schools, inputs, partial, floors, *, pass_all, budget, min_passes, time_limit):
    """Build and solve one program. Variables per school: x (7), z (7), pass (1)."""
    n = len(schools)
    width = 15
    costs = inputs["costs"]
    count = n * width
    c = np.zeros(count)
    lower, upper = np.zeros(count), np.full(count, np.inf)
    integrality = np.ones(count)
    lo, hi = [], []
    matrix = lil_matrix((n * (10 + len(floors)) + 2, count))
    row = 0

    def add_row(entries, low, high):
        nonlocal row
        for col, value in entries:
            matrix[row, col] = value
        lo.append(low)
        hi.append(high)
        row += 1

    for i, school in enumerate(schools):
        base = i * width
        x = {k: base + j for j, k in enumerate(KEYS)}
        z = {k: base + 7 + j for j, k in enumerate(KEYS)}
        p = base + 14
        limits = inputs["limits"].get(school["code"], {})
        max_posts = limits.get("posts", inputs["max_posts"])
        max_area = limits.get("area", inputs["max_area"])
        for k in KEYS:
            c[x[k]] = costs[k]
            upper[z[k]] = 1
        upper[p] = 1
        if pass_all:
            lower[p] = 1
        add_row([(z[k], 1) for k in KEYS], -np.inf, 1)
        add_row([(x[k], 1) for k in TEACHER_KEYS], -np.inf, max_posts)
        add_row([(x[k], 1) for k in AREA_KEYS], -np.inf, max_area)
        for k in KEYS:
            # effect_k ≥ full·pass − full·(1 − partial)·z − sum_k, full = the standard's total
            full = school["thresholds"][k] * school["students"] / RESOURCES[k][2]
            entries = [(x[k], 1)] + ([(x["r2"], 1), (x["r3"], 1)] if k == "r1" else [])
            entries += [(p, -(full)), (z[k], full * (1 - partial))]
            add_row(entries, -school["sums"][k], np.inf)
        for (k, part), floor in floors.items():
            if school["weights"].get(part):
                entries = [(x[k], 1)] + ([(x["r2"], 1), (x["r3"], 1)] if k == "r1" else [])
                add_row(entries, _required(school, k, floor), np.inf)
    if budget is not None:
        add_row([(col, c[col]) for col in range(count) if c[col]], -np.inf, budget)
    if min_passes is not None:
        add_row([(i * width + 14, 1) for i in range(n)], min_passes, np.inf)
    objective = (
        c
        if min_passes is not None or pass_all
        else -np.array([1.0 if col % width == 14 else 0.0 for col in range(count)])
    )
    constraints = LinearConstraint(matrix[:row].tocsr(), np.array(lo), np.array(hi))
    result = milp(
        objective,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(lower, upper),
        options={"time_limit": max(time_limit, 0.5), "mip_rel_gap": 1e-4},
    )
    if result.x is None:
        if result.status == 1:  # the time limit came before any plan: nothing to show
            return {"plan": {}, "passes": 0, "gap": None, "timed_out": True}
        return None
    values = np.round(result.x).astype(int)
    plan = {}
    for i, school in enumerate(schools):
        adds = {k: int(values[i * width + j]) for j, k in enumerate(KEYS) if values[i * width + j]}
        if adds:
            plan[school["unit"]] = adds
    passes = int(sum(values[i * width + 14] for i in range(n)))
    return {
        "plan": plan,
        "passes": passes,
        "gap": float(getattr(result, "mip_gap", 0.0) or 0.0),
        "timed_out": result.status == 1,
    }


def plan_cost(plan: dict, costs: dict) -> float:
    return float(sum(costs[k] * v for adds in plan.values() for k, v in adds.items()))


def solve(schools, inputs, *, partial: float, cv_limits: dict[str, float]) -> dict:
    """The least-cost plan meeting the per-school rule and the CV limits; if the budget or the
    limits do not allow it, the plan passing the most schools within them at least cost."""
    started = time.monotonic()
    deadline = started + inputs.get("time_limit", 10)
    schools = [s for s in schools if s["students"]]
    floors: dict[tuple[str, str], float] = {}
    rounds = 0
    outcome = None
    timed_out = False
    while rounds < MAX_ROUNDS:
        rounds += 1
        outcome = _program(
            schools,
            inputs,
            partial,
            floors,
            pass_all=True,
            budget=None,
            min_passes=None,
            time_limit=deadline - time.monotonic(),
        )
        if outcome is None:
            break
        timed_out = timed_out or outcome["timed_out"]
        over = []
        for part, limit in cv_limits.items():
            for k in KEYS:
                points = _part_points(schools, outcome["plan"], k, part)
                cv = weighted_cv(points)
                if cv is not None and cv > limit * (1 - 1e-6):
                    over.append((k, part, points, limit))
        if not over or time.monotonic() > deadline:
            break
        for k, part, points, limit in over:
            floors[(k, part)] = max(floors.get((k, part), 0.0), _floor_for(points, limit))
    budget = inputs.get("budget")
    complete = outcome is not None and (
        budget is None or plan_cost(outcome["plan"], inputs["costs"]) <= budget
    )
    mode = "full"
    if not complete:
        # the best partial plan: most passing schools within the budget and limits, then cheapest
        mode = "partial"
        best = _program(
            schools,
            inputs,
            partial,
            {},
            pass_all=False,
            budget=budget,
            min_passes=None,
            time_limit=deadline - time.monotonic(),
        )
        most = best["passes"] if best else 0
        outcome = (
            _program(
                schools,
                inputs,
                partial,
                {},
                pass_all=False,
                budget=budget,
                min_passes=most,
                time_limit=max(deadline - time.monotonic(), 2),
            )
            or best
            or {"plan": {}, "gap": None, "timed_out": False}
        )
        timed_out = timed_out or outcome["timed_out"]
    return {
        "mode": mode,
        "plan": outcome["plan"],
        "cost": plan_cost(outcome["plan"], inputs["costs"]),
        "gap": outcome["gap"],
        "rounds": rounds,
        "floors": {f"{k}_{p}": v for (k, p), v in floors.items()},
        "timed_out": timed_out,
        "seconds": time.monotonic() - started,
    }


def naive_plan(schools, *, failing: set[int]) -> dict:
    """Each failing school on its own raises every indicator under the standard to it, hiring
    each kind of teacher separately."""
    plan = {}
    for school in schools:
        if school["unit"] not in failing:
            continue
        adds = {}
        for k in KEYS:
            need = _required(school, k, school["thresholds"][k])
            if need > 1e-9:
                adds[k] = math.ceil(need - 1e-9)
        if adds:
            plan[school["unit"]] = adds
    return plan
