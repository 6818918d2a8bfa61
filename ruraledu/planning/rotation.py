"""交流轮岗: teachers eligible by years at the same school, the shares that must rotate, and a
suggested list moving them toward schools that need them, within one district (teachers rotate
among their district's schools). Reads the registry only."""

import math
from collections import defaultdict
from dataclasses import dataclass

from ruraledu.workforce.choices import Honour, Position, Subject
from ruraledu.workforce.models import Post

from .choices import ScenarioStatus
from .models import Scenario

RULES = {"min_years": 6, "share": 0.10, "backbone_share": 0.20}
PE_ART = {Subject.PE, Subject.MUSIC, Subject.ART}


@dataclass(frozen=True)
class Teacher:
    """A teacher's post of the year, as plain values (thousands of them on a district)."""

    person_id: int
    school_id: int
    subject: str
    honour: str
    hired_year: int | None
    school_code: str
    person_name: str


def years_at_school(year: int, unit=None) -> dict[int, tuple]:
    """person -> (Teacher of `year` at a school of the district `unit` (None: of the install,
    as the indicators count each at its school), years at that school, counted from 入职年份).
    The chain of yearly posts at the same school counts back; where it reaches the first year
    on record the teacher has been there since at least then, and 入职年份 (if earlier) stands
    in. A teacher posted at several schools counts once, at the school held longest. Two
    queries of plain values."""
    teachers = Post.objects.filter(year=year, position=Position.TEACHER, is_full_time_teacher=True)
    if unit is not None:
        teachers = teachers.filter(school__org_unit__path__startswith=unit.path)
    posts = [
        Teacher(*row)
        for row in teachers.order_by("pk").values_list(
            "person_id",
            "school_id",
            "subject",
            "honour",
            "hired_year",
            "school__org_unit__code",
            "person__name",
        )
    ]
    history = defaultdict(set)
    for person, school, y in Post.objects.filter(
        year__lte=year, person__posts__year=year
    ).values_list("person_id", "school_id", "year"):
        history[(person, school)].add(y)
    first = min((y for ys in history.values() for y in ys), default=year)
    result = {}
    for post in posts:
        years = history[(post.person_id, post.school_id)]
        start = year
        while start - 1 in years:
            start -= 1
        inferred = start == first and post.hired_year and post.hired_year < start
        if inferred:
            start = post.hired_year
        # a teacher of two schools this year is one teacher, reckoned at the school held
        # longest: the post that happened to be stored last (a new second post) hid a long
        # run at the other school, and the teacher was not counted as eligible
        held = result.get(post.person_id)
        if held is None or year - start + 1 >= held[1]:
            result[post.person_id] = (post, year - start + 1, bool(inferred))
    return result


def needing_schools(year: int, unit) -> dict[str, list[int]]:
    """Schools the district's latest solved least-cost plan of the year adds 骨干 (r2) or
    体育艺术 (r3) teachers to, each as often as it adds them."""
    scenario = (
        Scenario.objects.filter(unit=unit, year=year, status=ScenarioStatus.DONE)
        .order_by("-pk")
        .first()
    )
    needs = {"r2": [], "r3": []}
    for school in (scenario.result or {}).get("schools", []) if scenario else []:
        for key in needs:
            needs[key] += [school["unit"]] * int(school["adds"].get(key, 0))
    return needs


def suggest(year: int, rules: dict, unit) -> dict:
    """The suggestion for the district `unit`: its shares are of its own teachers."""
    chains = years_at_school(year, unit)
    eligible = [
        (post, years, inferred)
        for post, years, inferred in chains.values()
        if years >= rules["min_years"]
    ]
    eligible.sort(key=lambda e: (-e[1], e[0].school_code, e[0].person_name))
    required = math.ceil(rules["share"] * len(eligible) - 1e-9)
    backbone_required = math.ceil(rules["backbone_share"] * required - 1e-9)
    backbone = [e for e in eligible if e[0].honour != Honour.NONE]
    others = [e for e in eligible if e[0].honour == Honour.NONE]
    chosen = backbone[:backbone_required]
    taken = {e[0].person_id for e in chosen}
    rest = [e for e in eligible if e[0].person_id not in taken]
    # prefer those whose school keeps another teacher of their subject
    per_subject = defaultdict(int)
    for post, _, _ in chains.values():
        per_subject[(post.school_id, post.subject)] += 1
    rest.sort(key=lambda e: per_subject[(e[0].school_id, e[0].subject)] < 2)
    chosen += rest[: max(0, required - len(chosen))]
    needs = needing_schools(year, unit)
    lacking = _schools_lacking(chains)
    # the page shows the chosen ones' posts: loaded for them alone
    full = {
        (p.person_id, p.school_id): p
        for p in Post.objects.filter(
            year=year, person_id__in=[e[0].person_id for e in chosen]
        ).select_related("person", "school__org_unit")
    }
    rows = []
    for post, years, inferred in chosen:
        target, reason = _target(post, needs, lacking)
        rows.append(
            {
                "post": full[(post.person_id, post.school_id)],
                "years": years,
                "inferred": inferred,
                "backbone": post.honour != Honour.NONE,
                "target": target,
                "reason": reason,
            }
        )
    return {
        "eligible": eligible,
        "eligible_count": len(eligible),
        "backbone_eligible": len(backbone),
        "others_eligible": len(others),
        "required": required,
        "backbone_required": backbone_required,
        "backbone_chosen": sum(1 for r in rows if r["backbone"]),
        "rows": rows,
        "short": backbone_required > len(backbone),
    }


def _schools_lacking(chains) -> dict[str, list[int]]:
    have = defaultdict(set)
    schools = set()
    for post, _, _ in chains.values():
        have[post.subject].add(post.school_id)
        schools.add(post.school_id)
    return {subject: sorted(schools - units) for subject, units in have.items()}


def _take(units: list[int], home: int) -> int | None:
    """Remove and return the first school in `units` other than `home`."""
    for i, unit in enumerate(units):
        if unit != home:
            return units.pop(i)
    return None


def _target(post, needs: dict, lacking: dict) -> tuple[int | None, str]:
    """The first school that needs this kind of teacher and is not the teacher's own."""
    if post.honour != Honour.NONE:
        unit = _take(needs["r2"], post.school_id)
        if unit is not None:
            return unit, "最低成本方案需要骨干教师"
    if post.subject in PE_ART:
        unit = _take(needs["r3"], post.school_id)
        if unit is not None:
            return unit, "最低成本方案需要体育、艺术教师"
    unit = _take(lacking.get(post.subject, []), post.school_id)
    if unit is not None:
        return unit, "该校没有本学科教师"
    return None, ""
