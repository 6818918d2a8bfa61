"""Writes of 走教 scenarios and 交流轮岗 decisions, each within a district the actor plans
(audited); the registry is read, never written."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from ruraledu.accounts.choices import Action
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.orgunits.districts import districts_covered, within

from .locations import coordinate_distances
from .models import TravelScenario
from .travel import travel_solve
from .travel_data import HOURS, area_problem, areas

DEFAULTS = {
    "hours": dict(HOURS),
    "weekly_max": 16,  # lessons a teacher of these subjects teaches a week in all
    "per_day": 4,  # lessons one visit to a school can hold
    "km_cap": 120,  # kilometres of travel per teacher per week
    "default_km": 8,  # between two schools of an area when no distance is given
    "distances": [],  # [code a, code b, km]
    "needs": [],  # [code, subject, lessons]: the bureau's own figure for a school
    "locks": [],  # [teacher id, school unit, lessons]; 0 lessons forbids the pair
    "time_limit": 20,
}


def areas_of(actor) -> dict[str, str]:
    """The 学区 and towns of the districts `actor` plans (an area lies in one district)."""
    units = districts_covered(actor, Action.REVIEW)
    if not units:
        raise Http404("方案不存在")
    return dict(areas(units))


def travel_result(scenario: TravelScenario) -> dict:
    inputs = scenario.inputs
    schools, teachers = area_problem(
        scenario.area, scenario.year, inputs["hours"], inputs["weekly_max"]
    )
    if not schools:
        return {**travel_solve([], [], {}), "message": "该片区没有义务教育学校，无法测算走教。"}
    code_to_unit = {s["code"]: s["unit"] for s in schools}
    by_code = {s["code"]: s for s in schools}
    for code, subject, lessons in inputs.get("needs", []):
        if code in by_code:
            by_code[code]["needs"][subject] = lessons
    # typed distances win over those from coordinates; pairs with neither take default_km
    distances = coordinate_distances([s["unit"] for s in schools])
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
    labels = areas_of(actor)
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
    if scenario.area not in areas_of(actor):
        raise Http404("方案不存在")
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


@transaction.atomic
def rotation_decide(
    *,
    actor,
    year: int,
    person_id: int,
    decision: str,
    to_school_id: int | None,
    note: str = "",
    from_school_id: int | None = None,
):
    """Record (or change) the bureau's decision on one teacher's post at `from_school_id` (the
    row the page shows; default the post already decided on, else the teacher's first post in
    the actor's districts); one decision per teacher and year in a district. Never touches
    the posts."""
    from ruraledu.orgunits.models import School
    from ruraledu.workforce.models import Post, StaffPerson

    from .models import RotationDecision

    units = districts_covered(actor, Action.REVIEW)
    if not units:
        raise Http404("方案不存在")
    posts = Post.objects.filter(within(units, "school__org_unit__path"), person_id=person_id)
    if not posts.exists():
        # a teacher never posted in the actor's districts does not exist for the actor, as
        # another district's scenario does not
        raise Http404("教师不存在")
    # the teacher's row is locked: two decisions on the teacher at once (a double click, two
    # posts' rows) are taken in turn, the second seeing the first's
    StaffPerson.objects.select_for_update().filter(pk=person_id).first()
    decided = list(
        RotationDecision.objects.filter(
            within(units, "from_school__org_unit__path"), year=year, person_id=person_id
        ).select_related("from_school__org_unit")
    )
    of_year = posts.filter(year=year)
    if from_school_id is not None:
        of_year = of_year.filter(school_id=from_school_id)
    of_year = list(of_year.select_related("school__org_unit", "person").order_by("pk"))
    # no school named: the post already decided on, else the first
    on_file = {d.from_school_id for d in decided}
    post = next((p for p in of_year if p.school_id in on_file), of_year[0] if of_year else None)
    if post is None:
        # one of the actor's teachers may lack a post of this year
        raise ValidationError(f"{year} 学年没有该教师的任职记录。")
    unit = next(u for u in units if post.school.org_unit.path.startswith(u.path))
    # the decision on the post in the actor's district; another district's is never touched
    row = next((d for d in decided if d.from_school_id == post.school_id), None)
    # one decision per teacher and year in a district: the suggestion and the indicators
    # count a teacher of two of its schools once, so a decision on each post would count
    # the teacher twice. A decision on file is changed (two stored before this rule alike)
    in_district = [d for d in decided if d.from_school.org_unit.path.startswith(unit.path)]
    if row is None and in_district:
        raise ValidationError(
            f"{post.person.name} {year} 学年已有交流轮岗决定（现任职学校："
            f"{in_district[0].from_school.org_unit.name}），一名教师一学年只作一个决定；"
            "如需更改，请修改该决定。"
        )
    if decision not in RotationDecision.Decision.values:
        raise ValidationError("请选择决定：同意轮岗、暂缓或不轮岗。")
    to_school = None
    if decision == RotationDecision.Decision.ROTATE:
        # a school out of the actor's reach is as none chosen (nothing told of it)
        to_school = (
            School.objects.filter(within(units, "org_unit__path"), pk=to_school_id)
            .select_related("org_unit")
            .first()
            if to_school_id
            else None
        )
        if to_school is None or to_school.pk == post.school_id:
            raise ValidationError("同意轮岗须选择一所其他学校作为轮岗学校。")
        if not to_school.org_unit.path.startswith(unit.path):
            raise ValidationError(f"轮岗学校须为{unit.name}的学校。")
    note = note.strip()[:200]
    if row and (row.to_school_id, row.decision, row.note, row.decided_by_id) == (
        to_school.pk if to_school else None,
        decision,
        note,
        actor.pk,
    ):
        return row  # the same decision sent again (a double click): nothing to record
    before = snapshot(row) if row else None
    row = row or RotationDecision(
        year=year, person_id=person_id, from_school_id=post.school_id, decided_by=actor
    )
    row.to_school, row.decision = to_school, decision
    row.note, row.decided_by = note, actor
    row.save()
    audit_record(
        actor=actor,
        instance=row,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after=snapshot(row),
        summary=f"交流轮岗决定：{post.person.name}，{row.get_decision_display()}",
    )
    return row
