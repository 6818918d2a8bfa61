"""Reads the least-cost plan needs beyond the registry's 优质均衡 table: the pupils of the
target year from the enrolment forecast, and the teachers the bureau lets move."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from ruraledu.indicators.definitions.quality import (
    PRIMARY_STAGES,
    RESOURCES,
    SPLIT_STAGES,
    school_threshold,
)
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.workforce.choices import PE_ART_SUBJECTS, BackboneLevel, Degree, Honour
from ruraledu.workforce.models import Post

from .selectors import district_schools

JUNIOR_FIRST_GRADE = 7
BACKBONE = (Honour.BACKBONE, Honour.FAMOUS_TEACHER, Honour.SUBJECT_LEADER)


def forecast_for(year: int, unit):
    """The latest finished forecast run of the district `unit`, if it covers `year`; else a
    Chinese message."""
    from ruraledu.forecast.selectors import run_latest

    run = run_latest(unit)
    if run is None:
        raise ValidationError(
            "选择了按生源预测计算，但还没有完成的生源预测，请先在“生源预测”页测算。"
        )
    last = run.base_year + run.horizon
    if not run.base_year < year <= last:
        raise ValidationError(
            f"生源预测覆盖 {run.base_year + 1}—{last} 学年，目标学年 {year} 不在其中。"
        )
    return run


def inputs_check(year: int, inputs: dict, unit) -> None:
    """What can be checked against the registry when the bureau saves a scenario of the
    district `unit`."""
    if inputs.get("enrolment") == "forecast":
        forecast_for(year, unit)
    limits = inputs.get("limits") or {}
    if limits:  # a limit on a school the plan does not cover would go silently unused
        planned = {school["code"] for school in plan_schools(year, inputs, unit)[0]}
        if unknown := sorted(set(limits) - planned):
            raise ValidationError(
                f"每校限额中的学校代码不在本方案的学校中：{'、'.join(unknown)}"
                "（应为有在校生的义务教育学校的代码）。"
            )
    if inputs.get("movers_source") == "list":
        forecast = inputs.get("enrolment") == "forecast"
        data_year = forecast_for(year, unit).base_year if forecast else year
        movers(data_year, inputs, unit)


def plan_schools(year: int, inputs: dict, unit) -> tuple[list[dict], int, str]:
    """(schools of the district `unit`, the year whose resources are read, a note on the
    pupils used). With the forecast, the resources are the forecast's base year's and the
    pupils (so every per-pupil value and the 差异系数 weights) the projected ones of the
    target year."""
    if inputs.get("enrolment") != "forecast":
        return district_schools(year, unit), year, "按目标学年在校生计算。"
    from ruraledu.forecast.models import ForecastCell

    run = forecast_for(year, unit)
    projected = defaultdict(lambda: {"primary": 0.0, "junior": 0.0})
    cells = ForecastCell.objects.filter(run=run, year=year).annotate(
        kind=F("school__org_unit__kind"), parent=F("school__org_unit__parent_id")
    )
    for site, kind, parent, grade, expected in cells.values_list(
        "school_id", "kind", "parent", "grade", "expected"
    ):
        at = parent if kind == OrgUnitKind.CAMPUS else site  # a campus counts for its school
        projected[at]["junior" if grade >= JUNIOR_FIRST_GRADE else "primary"] += expected
    schools = []
    for school in district_schools(run.base_year, unit):
        parts = projected.get(school["unit"])
        if parts is None:
            schools.append(school)  # no forecast for it: its current pupils stand
            continue
        parts = {p: round(n) for p, n in parts.items()}
        if not sum(parts.values()):
            continue  # no pupils left by then: nothing to plan for it
        if school["stage"] in SPLIT_STAGES:
            weights = parts
        else:
            part = "primary" if school["stage"] in PRIMARY_STAGES else "junior"
            weights = {part: parts["primary"] + parts["junior"]}
        row = {**school, "students": sum(parts.values()), "weights": weights}
        row["thresholds"] = {k: school_threshold(row, k) for k in RESOURCES}
        schools.append(row)
    note = (
        f"按 {run.base_year} 学年的师资、设施和生源预测的 {year} 学年预测在校生计算"
        f"（预测于 {timezone.localdate(run.created_at):%Y-%m-%d}）。"
    )
    return schools, run.base_year, note


def _mover(post: Post, cost: float, units: dict) -> dict:
    return {
        "id": post.person_id,
        "name": post.person.name,
        "home": units.get(post.school_id, post.school_id),
        "home_name": str(post.school),
        "r1_college": post.degree in (Degree.POSTGRADUATE, Degree.BACHELOR, Degree.COLLEGE),
        "r1_bachelor": post.degree in (Degree.POSTGRADUATE, Degree.BACHELOR),
        "r2": not post.is_researcher
        and post.honour in BACKBONE
        and post.honour_level != BackboneLevel.NONE,
        "r3": post.subject in PE_ART_SUBJECTS,
        "cost": float(cost),
    }


def movers(year: int, inputs: dict, unit) -> list[dict]:
    """The movable teachers of the district `unit` as the solver takes them, from the bureau's
    list (each line must name a full-time teacher of that school in `year`) or the 交流轮岗
    eligible list."""
    source = inputs.get("movers_source", "none")
    if source == "none":
        return []
    # teachers move within their district, as its schools are planned
    teachers = Post.objects.filter(
        year=year, is_full_time_teacher=True, school__org_unit__path__startswith=unit.path
    ).select_related("person", "school__org_unit")
    if source == "rotation":
        from .rotation import RULES, years_at_school

        chains = years_at_school(year, unit)
        eligible = {
            (t.person_id, t.school_id)
            for t, years, _ in chains.values()
            if years >= RULES["min_years"]
        }
        posts = [
            p
            for p in teachers.filter(person_id__in=[person for person, _ in eligible])
            if (p.person_id, p.school_id) in eligible
        ]
        costs = [inputs["move_cost"]] * len(posts)
    else:
        posts, costs = [], []
        for number, (name, code, cost) in enumerate(inputs["movers"], start=1):
            post = teachers.filter(person__name=name, school__org_unit__code=code).first()
            if post is None:
                raise ValidationError(
                    f"可调动教师第 {number} 行：{year} 学年学校代码“{code}”没有名为“{name}”的专任教师。"
                )
            posts.append(post)
            costs.append(inputs["move_cost"] if cost is None else cost)
    units = {
        p.school_id: p.school.org_unit.parent_id
        for p in posts
        if p.school.org_unit.kind == OrgUnitKind.CAMPUS
    }
    found = [_mover(p, c, units) for p, c in zip(posts, costs, strict=True)]
    # only a teacher who counts for a teacher indicator can change the plan
    return [m for m in found if m["r1_college"] or m["r2"] or m["r3"]]
