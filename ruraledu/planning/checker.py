"""The exact rule on a plan, by the indicators' own functions: the per-school rule
(`judge_school`) and the enrolment-weighted 差异系数 (`weighted_cv`) against its limit. A plan is
shown as passing only when this says so."""

from ruraledu.indicators.compare import above
from ruraledu.indicators.definitions.quality import RESOURCES, judge_school, weighted_cv
from ruraledu.indicators.standards import standard

from .solver import deltas, per_student

PARTS = {"primary": "小学", "junior": "初中"}


def rules() -> tuple[float, dict[str, float]]:
    """The 85 % share and the CV limits, from the bureau's standards table."""
    return standard("yzjh_partial")[0], {p: standard("yzjh_cv_limit", p)[0] for p in PARTS}


def after(school: dict, delta: dict | None) -> dict:
    delta = delta or {}
    return {**school, "sums": {k: school["sums"][k] + delta.get(k, 0) for k in RESOURCES}}


def plan_check(schools: list[dict], plan: dict, moves=()) -> dict:
    """Per school its judgement after the plan (hires and teachers moved); per (indicator,
    part) the CV and its mark."""
    partial, limits = rules()
    change = deltas(schools, plan, moves)
    judged = {}
    for school in schools:
        if not school["students"]:
            continue
        delta = change.get(school["unit"])
        result = judge_school(after(school, delta), partial)
        judged[school["unit"]] = {
            "verdict": result["verdict"],
            "short": result["short"],
            "values": {k: per_student(school, k, delta) for k in RESOURCES},
        }
    coefficients = []
    for part, limit in limits.items():
        for k in RESOURCES:
            points = [
                (per_student(s, k, change.get(s["unit"])), s["weights"].get(part, 0))
                for s in schools
                if s["students"] and s["weights"].get(part)
            ]
            cv = weighted_cv(points)
            if cv is not None:
                coefficients.append(
                    {"key": k, "part": part, "cv": cv, "limit": limit, "ok": not above(cv, limit)}
                )
    passes = all(j["verdict"] for j in judged.values()) and all(c["ok"] for c in coefficients)
    return {"schools": judged, "coefficients": coefficients, "passes": passes}
