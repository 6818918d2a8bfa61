"""走教 assignment as a MILP (scipy milp / HiGHS): teachers of scarce subjects teach lessons at
schools of their area that have no teacher of that subject. Pure: takes plain dicts, no database."""

import math
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

# weight of one uncovered lesson against one kilometre: covering always comes first
UNCOVERED_WEIGHT = 1000.0


def travel_solve(schools: list[dict], teachers: list[dict], inputs: dict) -> dict:
    """schools: {unit, name, needs: {subject: lessons}}; teachers: {id, name, subject, home,
    spare}. inputs: per_day (lessons a visit can hold), km_cap, distances {(a, b): km} keyed by
    sorted unit pair, default_km, locks {(teacher, unit): lessons} (0 forbids), time_limit."""
    started = time.monotonic()
    demand = [
        (s["unit"], subject, lessons)
        for s in schools
        for subject, lessons in sorted(s["needs"].items())
        if lessons > 0
    ]
    if not demand:
        return _empty("本片区各校的紧缺学科均有本校教师任教，无需走教。", started)
    needed = {(unit, subject) for unit, subject, _ in demand}
    pairs = [
        (t, unit)
        for t in teachers
        for unit, subject in sorted(needed)
        if subject == t["subject"] and unit != t["home"]
    ]
    locks = inputs.get("locks", {})
    per_day, km_cap = inputs["per_day"], inputs["km_cap"]
    n_pairs, n_demand = len(pairs), len(demand)
    # variables: lessons x per pair, visits v per pair, uncovered u per demand
    n = 2 * n_pairs + n_demand
    km = [2 * _distance(inputs, t["home"], unit) for t, unit in pairs]
    cost = np.array([0.001] * n_pairs + km + [UNCOVERED_WEIGHT] * n_demand)
    lower, upper = np.zeros(n), np.full(n, np.inf)
    for i, (t, unit) in enumerate(pairs):
        upper[i] = t["spare"]
        upper[n_pairs + i] = 5  # at most one visit a school day
        locked = locks.get((t["id"], unit))
        if locked is not None:
            lower[i] = upper[i] = locked
    for key in locks:
        if not any((t["id"], unit) == key for t, unit in pairs):
            return _empty("锁定的走教安排不在本片区的可选范围内，请取消该锁定后重新求解。", started)
    rows, lo, hi = [], [], []

    def add(coefs: dict, low: float, high: float) -> None:
        row = np.zeros(n)
        for j, c in coefs.items():
            row[j] += c
        rows.append(row)
        lo.append(low)
        hi.append(high)

    for d, (unit, subject, lessons) in enumerate(demand):
        coefs = {i: 1 for i, (t, u) in enumerate(pairs) if u == unit and t["subject"] == subject}
        coefs[2 * n_pairs + d] = 1
        add(coefs, lessons, lessons)  # taught lessons plus uncovered equal the need
    for t in teachers:
        mine = [i for i, (tt, _) in enumerate(pairs) if tt is t]
        if not mine:
            continue
        add({i: 1 for i in mine}, 0, t["spare"])
        add({n_pairs + i: km[i] for i in mine}, 0, km_cap)
    for i in range(n_pairs):
        add({i: 1, n_pairs + i: -per_day}, -np.inf, 0)  # lessons fit the visits
    integrality = np.ones(n)
    integrality[2 * n_pairs :] = 0
    constraints = [LinearConstraint(np.array(rows), lo, hi)] if rows else []
    res = milp(
        cost,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(lower, upper),
        options={"time_limit": inputs.get("time_limit", 20), "mip_rel_gap": 1e-6},
    )
    if res.x is None:
        return _empty(
            "无可行的走教安排：锁定的课时超过教师富余课时或每周行程上限。"
            "请减少锁定课时或提高行程上限后重新求解。",
            started,
        )
    x = np.round(res.x).astype(int)
    assignments = [
        {
            "teacher": t["id"],
            "teacher_name": t["name"],
            "subject": t["subject"],
            "home": t["home"],
            "unit": unit,
            "lessons": int(x[i]),
            "visits": int(x[n_pairs + i]),
            "km": round(km[i] * x[n_pairs + i], 1),
            "locked": (t["id"], unit) in locks,
        }
        for i, (t, unit) in enumerate(pairs)
        if x[i] > 0 or (t["id"], unit) in locks
    ]
    uncovered = [
        {
            "unit": unit,
            "subject": subject,
            "need": lessons,
            "lessons": round(res.x[2 * n_pairs + d]),
        }
        for d, (unit, subject, lessons) in enumerate(demand)
        if round(res.x[2 * n_pairs + d]) > 0
    ]
    total = sum(lessons for _, _, lessons in demand)
    left = sum(u["lessons"] for u in uncovered)
    gap = getattr(res, "mip_gap", None)
    message = f"需走教课时 {total} 节/周，已安排 {total - left} 节。"
    message += f"仍有 {left} 节无人可派（见未覆盖）。" if left else "全部覆盖。"
    return {
        "feasible": True,
        "assignments": assignments,
        "uncovered": uncovered,
        "need": total,
        "covered": total - left,
        "km": round(sum(a["km"] for a in assignments), 1),
        "gap": None if gap is None or math.isnan(gap) else float(gap),
        "timed_out": res.status == 1,
        "seconds": round(time.monotonic() - started, 3),
        "message": message,
    }


def _distance(inputs: dict, a: int, b: int) -> float:
    return float(inputs["distances"].get(tuple(sorted((a, b))), inputs["default_km"]))


def _empty(message: str, started: float) -> dict:
    return {
        "feasible": False,
        "assignments": [],
        "uncovered": [],
        "need": 0,
        "covered": 0,
        "km": 0,
        "gap": None,
        "timed_out": False,
        "seconds": round(time.monotonic() - started, 3),
        "message": message,
    }
