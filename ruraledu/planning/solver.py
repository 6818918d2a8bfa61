"""The least-cost plan as a mixed-integer program (HiGHS through scipy.optimize.milp).

Per school and resource k (r1…r7 of the 优质均衡 method) an integer addition x_k and a binary
z_k (k may stay under the standard, at ≥ 85 % of it); Σz ≤ 1. A new 骨干 or 体育艺术 teacher is
assumed to hold 规定学历 or above, so it also counts for r1. The 差异系数 is not linear: after a
solve its exact value is computed; where it is over the limit, a floor on the per-student value
of the schools of that part is raised (raising a value under the mean always lowers the CV) and
the program is solved again. Floors only rise, so the loop ends; the checker has the last word.

Teachers the bureau lets move are binaries (teacher, school): a move adds to the school what
the teacher counts for there and takes it from the home school, at its cost. Over several years
the additions are split by year: a post is paid every year from the year it is added, a building
once, and the yearly budget holds in every year.
"""

import math
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from ruraledu.indicators.definitions.quality import PRIMARY_STAGES, RESOURCES, weighted_cv

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


def mover_counts(mover: dict, stage: str | None) -> dict[str, int]:
    """What one teacher counts for at a school of `stage`, as the indicators count: 规定学历 is
    专科 for a primary school or teaching point and 本科 for every other stage."""
    r1 = mover["r1_college"] if stage in PRIMARY_STAGES else mover["r1_bachelor"]
    return {"r1": int(r1), "r2": int(mover["r2"]), "r3": int(mover["r3"])}


def deltas(schools: list[dict], plan: dict, moves=()) -> dict[int, dict[str, float]]:
    """Per school, the change of each of the seven sums: hires (with their cross-counting),
    teachers moved in, teachers moved out."""
    stage = {s["unit"]: s["stage"] for s in schools}
    out = {unit: effects(adds) for unit, adds in plan.items()}
    for move in moves:
        for unit, sign in ((move["to"], 1), (move["home"], -1)):
            change = out.setdefault(unit, effects({}))
            for k, v in mover_counts(move, stage.get(unit)).items():
                change[k] += sign * v
    return out


def per_student(school: dict, key: str, delta: dict | None = None) -> float:
    extra = (delta or {}).get(key, 0.0)
    return (school["sums"][key] + extra) / school["students"] * RESOURCES[key][2]


def _required(school: dict, key: str, level: float) -> float:
    """Addition (before cross-counting) needed for a per-student value of `level`."""
    return level * school["students"] / RESOURCES[key][2] - school["sums"][key]


def _part_points(schools, change, key, part):
    return [
        (per_student(s, key, change.get(s["unit"])), s["weights"].get(part, 0))
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


def destinations(schools: list[dict], mover: dict) -> list[int]:
    """Schools a movable teacher may go to: any other school under the standard on something
    the teacher counts for (moving elsewhere cannot help the per-school rule)."""
    found = []
    for school in schools:
        if school["unit"] == mover["home"]:
            continue
        counts = mover_counts(mover, school["stage"])
        if any(
            counts[k] and per_student(school, k) < school["thresholds"][k] for k in TEACHER_KEYS
        ):
            found.append(school["unit"])
    return found


def _groups(movers: list[dict]) -> list[list[dict]]:
    """Movable teachers alike for the program (same home, what they count for, cost) are one
    integer variable per destination rather than one binary each."""
    found: dict[tuple, list[dict]] = {}
    for m in movers:
        key = (m["home"], m["r1_college"], m["r1_bachelor"], m["r2"], m["r3"], m["cost"])
        found.setdefault(key, []).append(m)
    return list(found.values())


def year_cost(key: str, cost: float, added_in: int, years: int) -> float:
    """A teacher post is paid every year from the year it is added to the target year; a
    building, equipment or room is paid once."""
    return cost * (years - added_in) if key in TEACHER_KEYS else cost


class _Rows:
    """Sparse constraint rows collected as triplets."""

    def __init__(self):
        self.rows, self.cols, self.vals, self.lo, self.hi = [], [], [], [], []

    def add(self, entries, low, high):
        row = len(self.lo)
        for col, value in entries:
            self.rows.append(row)
            self.cols.append(col)
            self.vals.append(value)
        self.lo.append(low)
        self.hi.append(high)

    def constraint(self, width):
        matrix = coo_matrix((self.vals, (self.rows, self.cols)), shape=(len(self.lo), width))
        return LinearConstraint(matrix.tocsr(), np.array(self.lo), np.array(self.hi))


def _program(schools, inputs, partial, floors, *, pass_all, budget, min_passes, time_limit):
    """Build and solve one program. Per school: x (7 additions by the target year), z (7),
    pass (1); over several years, the additions of each year (7 per year); then one binary per
    movable teacher and school it may go to."""
    n = len(schools)
    width = 15
    costs = inputs["costs"]
    years = int(inputs.get("years") or 1)
    yearly = years > 1
    year_base = n * width
    unit_index = {s["unit"]: i for i, s in enumerate(schools)}
    # a teacher of a school outside the plan (a kindergarten, a special school) is not moved:
    # what the move takes from that school would go unchecked
    groups = _groups([m for m in inputs.get("movers") or [] if m["home"] in unit_index])
    move_cols = []  # (column, group, destination unit)
    col = year_base + (n * 7 * years if yearly else 0)
    for group in groups:
        for unit in destinations(schools, group[0]):
            move_cols.append((col, group, unit))
            col += 1
    count = col
    c = np.zeros(count)
    lower, upper = np.zeros(count), np.full(count, np.inf)
    integrality = np.ones(count)
    rows = _Rows()

    def ycol(i, j, t):
        return year_base + (i * 7 + j) * years + t

    # teachers moving in and out of each school, by what they count for there
    moving = {i: {k: [] for k in TEACHER_KEYS} for i in range(n)}
    by_group = {}
    for column, group, unit in move_cols:
        mover = group[0]
        c[column] = mover["cost"]
        upper[column] = len(group)
        by_group.setdefault(id(group), []).append((column, 1))
        i = unit_index[unit]
        for k, v in mover_counts(mover, schools[i]["stage"]).items():
            if v:
                moving[i][k].append((column, 1))
        home = unit_index[mover["home"]]
        for k, v in mover_counts(mover, schools[home]["stage"]).items():
            if v:
                moving[home][k].append((column, -1))
    for _, group, _ in move_cols:
        if by_group.get(id(group)):
            rows.add(by_group.pop(id(group)), -np.inf, len(group))

    for i, school in enumerate(schools):
        base = i * width
        x = {k: base + j for j, k in enumerate(KEYS)}
        z = {k: base + 7 + j for j, k in enumerate(KEYS)}
        p = base + 14
        limits = inputs["limits"].get(school["code"], {})
        max_posts = limits.get("posts", inputs["max_posts"])
        max_area = limits.get("area", inputs["max_area"])
        for j, k in enumerate(KEYS):
            upper[z[k]] = 1
            if yearly:
                for t in range(years):
                    c[ycol(i, j, t)] = year_cost(k, costs[k], t, years)
                rows.add([(x[k], 1)] + [(ycol(i, j, t), -1) for t in range(years)], 0, 0)
            else:
                c[x[k]] = costs[k]
        upper[p] = 1
        if pass_all:
            lower[p] = 1
        rows.add([(z[k], 1) for k in KEYS], -np.inf, 1)
        rows.add([(x[k], 1) for k in TEACHER_KEYS], -np.inf, max_posts)
        rows.add([(x[k], 1) for k in AREA_KEYS], -np.inf, max_area)
        for k in KEYS:
            # effect_k ≥ full·pass − full·(1 − partial)·z − sum_k, full = the standard's total
            full = school["thresholds"][k] * school["students"] / RESOURCES[k][2]
            entries = [(x[k], 1)] + ([(x["r2"], 1), (x["r3"], 1)] if k == "r1" else [])
            entries += moving[i].get(k, [])
            entries += [(p, -(full)), (z[k], full * (1 - partial))]
            rows.add(entries, -school["sums"][k], np.inf)
        for (k, part), floor in floors.items():
            if school["weights"].get(part):
                entries = [(x[k], 1)] + ([(x["r2"], 1), (x["r3"], 1)] if k == "r1" else [])
                entries += moving[i].get(k, [])
                rows.add(entries, _required(school, k, floor), np.inf)
    moves_cost = [(column, c[column]) for column, _, _ in move_cols]
    if budget is not None:
        if not yearly:
            rows.add([(j, c[j]) for j in range(count) if c[j]], -np.inf, budget)
        for t in range(years if yearly else 0):
            # the year's spending: posts added so far, one-off items of the year; moves are
            # made for the target year
            entries = []
            for i in range(n):
                for j, k in enumerate(KEYS):
                    if k in TEACHER_KEYS:
                        entries += [(ycol(i, j, s), costs[k]) for s in range(t + 1)]
                    else:
                        entries.append((ycol(i, j, t), costs[k]))
            if t == years - 1:
                entries += moves_cost
            rows.add([e for e in entries if e[1]], -np.inf, budget)
    if min_passes is not None:
        rows.add([(i * width + 14, 1) for i in range(n)], min_passes, np.inf)
    if min_passes is not None or pass_all:
        objective = c
    else:
        objective = np.zeros(count)
        objective[[i * width + 14 for i in range(n)]] = -1.0
    result = milp(
        objective,
        constraints=rows.constraint(count),
        integrality=integrality,
        bounds=Bounds(lower, upper),
        options={"time_limit": max(time_limit, 0.5), "mip_rel_gap": 1e-4},
    )
    if result.x is None:
        if result.status == 1:  # the time limit came before any plan: nothing to show
            return {**EMPTY, "timed_out": True}
        return None
    values = np.round(result.x).astype(int)
    plan, by_year = {}, {}
    for i, school in enumerate(schools):
        adds = {k: int(values[i * width + j]) for j, k in enumerate(KEYS) if values[i * width + j]}
        if adds:
            plan[school["unit"]] = adds
            if yearly:
                by_year[school["unit"]] = [
                    {
                        k: int(values[ycol(i, j, t)])
                        for j, k in enumerate(KEYS)
                        if values[ycol(i, j, t)]
                    }
                    for t in range(years)
                ]
            else:
                by_year[school["unit"]] = [adds]
    moves, used = [], {}
    for column, group, unit in move_cols:
        # a group's teachers are alike: the first not yet moved go
        start = used.get(id(group), 0)
        moves += [{**m, "to": unit} for m in group[start : start + values[column]]]
        used[id(group)] = start + values[column]
    passes = int(sum(values[i * width + 14] for i in range(n)))
    return {
        "plan": plan,
        "by_year": by_year,
        "moves": moves,
        "year_costs": spending(by_year, moves, costs, years),
        "passes": passes,
        "gap": float(getattr(result, "mip_gap", 0.0) or 0.0),
        "timed_out": result.status == 1,
    }


EMPTY = {"plan": {}, "by_year": {}, "moves": [], "year_costs": [], "passes": 0, "gap": None}


def spending(by_year: dict, moves: list, costs: dict, years: int) -> list[float]:
    """What the plan costs in each of its years (posts paid every year once added)."""
    out = [0.0] * years
    for plan_years in by_year.values():
        for t, adds in enumerate(plan_years):
            for k, v in adds.items():
                if k in TEACHER_KEYS:
                    for s in range(t, years):
                        out[s] += costs[k] * v
                else:
                    out[t] += costs[k] * v
    out[-1] += sum(m["cost"] for m in moves)
    return out


def plan_cost(plan: dict, costs: dict) -> float:
    return float(sum(costs[k] * v for adds in plan.values() for k, v in adds.items()))


def solve(schools, inputs, *, partial: float, cv_limits: dict[str, float]) -> dict:
    """The least-cost plan meeting the per-school rule and the CV limits within the yearly
    budget; if the budget or the limits do not allow it, the plan passing the most schools
    within them at least cost."""
    started = time.monotonic()
    deadline = started + inputs.get("time_limit", 10)
    schools = [s for s in schools if s["students"]]
    budget = inputs.get("budget")
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
            budget=budget,
            min_passes=None,
            time_limit=deadline - time.monotonic(),
        )
        if outcome is None:
            break
        timed_out = timed_out or outcome["timed_out"]
        change = deltas(schools, outcome["plan"], outcome["moves"])
        over = []
        for part, limit in cv_limits.items():
            for k in KEYS:
                points = _part_points(schools, change, k, part)
                cv = weighted_cv(points)
                if cv is not None and cv > limit * (1 - 1e-6):
                    over.append((k, part, points, limit))
        if not over or time.monotonic() > deadline:
            break
        for k, part, points, limit in over:
            floors[(k, part)] = max(floors.get((k, part), 0.0), _floor_for(points, limit))
    mode = "full"
    if outcome is None:
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
            or {**EMPTY, "timed_out": False}
        )
        timed_out = timed_out or outcome["timed_out"]
    return {
        "mode": mode,
        "plan": outcome["plan"],
        "by_year": outcome["by_year"],
        "moves": outcome["moves"],
        "year_costs": outcome["year_costs"],
        "cost": float(sum(outcome["year_costs"])),
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
