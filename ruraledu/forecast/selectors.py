"""Reads: the rosters and births the forecast needs (a few GROUP BY queries for one
district), the districts a user reads and runs, the scoped rows of a stored run, and the
staffing needs derived from it under its district's standard."""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Max
from django.db.models.functions import Coalesce
from django.http import Http404

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, role_units
from ruraledu.orgunits.choices import (
    BUREAU_KINDS,
    GRADE_RANGES,
    TOWN_LEVEL_KINDS,
    OrgUnitKind,
    SchoolStage,
)
from ruraledu.orgunits.districts import districts_touched
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.orgunits.rural import is_rural
from ruraledu.students.models import Enrolment
from ruraledu.workforce.models import Post

from .engine import History, SchoolInfo
from .models import BacktestRow, BirthRecord, ForecastCell, ForecastRun, StaffingRule

JUNIOR_FIRST_GRADE = 7


# the kinds of unit whose roles read the forecast: the bureaus (a district's, the city's
# above it) and the town offices of any district (each its own schools)
READER_KINDS = (*BUREAU_KINDS, *TOWN_LEVEL_KINDS)


def can_view(user) -> bool:
    """The forecast is read by the bureau and the towns (each its own schools), told by the
    kind of unit the role is on, not by its depth in the tree; a role held only on single
    schools (or villages) does not open it. No query beyond the cached role assignments:
    the menu asks on every page."""
    return Reach(user, Action.VIEW).everywhere or bool(role_units(user, Action.VIEW, READER_KINDS))


def require_view(user) -> None:
    if not can_view(user):
        raise Http404("没有找到该页面。")


def forecast_units(user, among=None) -> list[OrgUnit]:
    """The districts whose forecast `user` reads: each district is forecast on its own; its
    bureau and towns read its runs (a town its own schools of them), the city's bureau every
    district's. `among`: the install's `districts()` where the caller has read them already.

    The districts whose forecast `user` computes and whose staffing standard it sets are
    `districts_covered(user, Action.REVIEW)`: the district's bureau its own, the city's bureau
    each of its districts."""
    if not can_view(user):
        return []
    return districts_touched(user, Action.VIEW, among)


def latest_roster_year(unit: OrgUnit) -> int | None:
    return Enrolment.objects.filter(school__org_unit__path__startswith=unit.path).aggregate(
        y=Max("year")
    )["y"]


def _site_grades(stage: str, seen: set[int]) -> tuple[int, ...]:
    """Compulsory grades a site teaches: its stage's range, cut to the grades it has had."""
    grades = [g for g in GRADE_RANGES.get(stage, ()) if g <= 9]
    if seen:
        grades = [g for g in grades if min(seen) <= g <= max(seen)]
    return tuple(grades)


def history_load(unit: OrgUnit) -> History:
    """The rosters of the district `unit` by site (the campus where a pupil attends, else the
    school), grade-1 entrants by home village, and births by village of the district."""
    site = Coalesce("campus_id", "school_id")
    enrolments = Enrolment.objects.filter(school__org_unit__path__startswith=unit.path)
    rolls = {
        (y, s, g): n
        for y, s, g, n in enrolments.filter(grade__lte=9)
        .annotate(site=site)
        .values("year", "site", "grade")
        .annotate(n=Count("id"))
        .values_list("year", "site", "grade", "n")
    }
    entrants = {
        (y, s, v): n
        for y, s, v, n in enrolments.filter(grade=1)
        .annotate(site=site, village=F("person__village_id"))
        .values("year", "site", "village")
        .annotate(n=Count("id"))
        .values_list("year", "site", "village", "n")
    }
    records = BirthRecord.objects.filter(village__path__startswith=unit.path)
    births = {(v, y): n for v, y, n in records.values_list("village_id", "birth_year", "births")}
    seen: dict[int, set[int]] = defaultdict(set)
    for _, s, g in rolls:
        seen[s].add(g)
    towns = OrgUnit.objects.filter(kind__in=TOWN_LEVEL_KINDS, path__startswith=unit.path)
    towns = dict(towns.values_list("code", "pk"))
    schools = {}
    for pk, stage, path in School.objects.filter(pk__in=seen).values_list(
        "pk", "stage", "org_unit__path"
    ):
        grades = _site_grades(stage, seen[pk])
        # the town is wherever it sits on the path (below a district, a city, a province)
        town = next((towns[c] for c in path.split("/") if c in towns), None)
        if grades and town:
            schools[pk] = SchoolInfo(grades, town)
    return History(rolls, entrants, births, schools)


def run_latest(unit: OrgUnit) -> ForecastRun | None:
    """The district's latest finished run."""
    return (
        ForecastRun.objects.filter(unit=unit, status=ForecastRun.Status.DONE)
        .select_related("unit")
        .first()
    )


def run_pending(unit: OrgUnit) -> ForecastRun | None:
    """The district's newest run not finished yet, or failed after its latest finished one."""
    latest = run_latest(unit)
    newer = ForecastRun.objects.filter(unit=unit).exclude(status=ForecastRun.Status.DONE)
    if latest:
        newer = newer.filter(pk__gt=latest.pk)
    return newer.first()


@dataclass
class SchoolForecast:
    school: School
    town: str
    now: int  # pupils in the base year
    totals: list[tuple[int, float, float, float]]  # (year, expected, low, high)
    backtest: BacktestRow | None
    small_from: int | None  # first forecast year below the small-school line
    already_small: bool = False  # below the line in the base year already

    @property
    def is_teaching_point(self) -> bool:
        return self.school.stage == SchoolStage.TEACHING_POINT


def small_line(school: School, rule: StaffingRule) -> int:
    if school.stage == SchoolStage.TEACHING_POINT:
        return rule.teaching_point_pupils
    return rule.small_school_pupils


def rule_get(unit: OrgUnit) -> StaffingRule:
    """The district's staffing standard (the defaults until its bureau sets one)."""
    return StaffingRule.objects.filter(unit=unit).first() or StaffingRule(unit=unit)


def _town_name(path: str, town_names: dict[str, str]) -> str:
    """The town on a school's path (below a district, a city, a province)."""
    return next((town_names[c] for c in path.split("/") if c in town_names), "")


def _run_cells(run: ForecastRun, user):
    """The run's cells the user may see, of schools of the run's district."""
    return ForecastCell.objects.for_user(user).filter(
        run=run, school__org_unit__path__startswith=run.unit.path
    )


def forecast_schools(*, run: ForecastRun, user):
    """The run's schools the user may see, each with totals per year and the backtest."""
    rule = rule_get(run.unit)
    cells = _run_cells(run, user)
    sums: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for s, y, e, lo, hi in cells.values_list("school_id", "year", "expected", "low", "high"):
        acc = sums[s][y]
        acc[0] += e
        acc[1] += lo
        acc[2] += hi
    backtests = {
        b.school_id: b
        for b in BacktestRow.objects.for_user(user).filter(school_id__in=sums).filter(run=run)
    }
    now = dict(
        Enrolment.objects.filter(year=run.base_year, grade__lte=9)
        .annotate(site=Coalesce("campus_id", "school_id"))
        .filter(site__in=list(sums))
        .values("site")
        .annotate(n=Count("id"))
        .values_list("site", "n")
    )
    schools = School.objects.filter(pk__in=sums).select_related("org_unit__parent")
    town_names = dict(OrgUnit.objects.towns().values_list("code", "name"))
    result = []
    for school in schools.order_by("org_unit__path"):
        # the lows and highs of grades are summed: a cautious (wide) interval of the total
        totals = [(y, *sums[school.pk][y]) for y in sorted(sums[school.pk])]
        line = small_line(school, rule)
        small_from = next((y for y, e, _, _ in totals if e < line), None)
        result.append(
            SchoolForecast(
                school=school,
                town=_town_name(school.org_unit.path, town_names),
                now=now.get(school.pk, 0),
                totals=totals,
                backtest=backtests.get(school.pk),
                small_from=small_from,
                already_small=now.get(school.pk, 0) < line,
            )
        )
    return result


def school_of(*, user, pk: int) -> School:
    """A school the user reads the forecast of (404 out of scope)."""
    school = School.objects.for_user(user).filter(pk=pk).select_related("org_unit").first()
    if school is None or not can_view(user):
        raise Http404("没有找到该学校。")
    return school


def school_detail(*, run: ForecastRun, user, pk: int):
    """One school's cells by grade and year with the classes per grade (404 out of scope or
    out of the run's district)."""
    school = school_of(user=user, pk=pk)
    if not school.org_unit.path.startswith(run.unit.path):
        raise Http404("没有找到该学校。")
    rule = rule_get(run.unit)
    cells = ForecastCell.objects.filter(run=run, school=school).order_by("grade", "year")
    grid: dict[int, dict[int, ForecastCell]] = defaultdict(dict)
    for cell in cells:
        cell.classes = classes_for(cell.expected, cell.grade, rule)
        grid[cell.grade][cell.year] = cell
    years = sorted({c.year for row in grid.values() for c in row.values()})
    backtest = BacktestRow.objects.filter(run=run, school=school).first()
    return school, years, [(g, [grid[g].get(y) for y in years]) for g in sorted(grid)], backtest


def classes_for(pupils: float, grade: int, rule: StaffingRule) -> int:
    size = rule.junior_class_size if grade >= JUNIOR_FIRST_GRADE else rule.primary_class_size
    pupils = round(pupils)
    return math.ceil(pupils / size) if pupils > 0 else 0


@dataclass
class StaffingLine:
    school: School
    town: str
    pupils: int
    classes: int
    by_ratio: int  # posts by 生师比
    by_class: int  # posts by 班师比 (small schools only, else 0)
    needed: int
    held: int
    small: bool

    @property
    def gap(self) -> int:
        """Positive: 缺编; negative: 超编."""
        return self.needed - self.held


def posts_needed(
    grade_pupils: dict[int, float], rule: StaffingRule, *, small: bool
) -> tuple[int, int, int, int]:
    """(classes, posts by 生师比, posts by 班师比, posts needed) for one school's pupils by
    grade. Rounded up: a fraction of a post is a post the school must be given."""
    primary = sum(round(n) for g, n in grade_pupils.items() if g < JUNIOR_FIRST_GRADE)
    junior = sum(round(n) for g, n in grade_pupils.items() if g >= JUNIOR_FIRST_GRADE)
    by_ratio = math.ceil(
        primary / float(rule.primary_pupils_per_post)
        + junior / float(rule.junior_pupils_per_post)
        - 1e-9
    )
    primary_classes = sum(
        classes_for(n, g, rule) for g, n in grade_pupils.items() if g < JUNIOR_FIRST_GRADE
    )
    junior_classes = sum(
        classes_for(n, g, rule) for g, n in grade_pupils.items() if g >= JUNIOR_FIRST_GRADE
    )
    by_class = 0
    if small:
        by_class = math.ceil(
            primary_classes * float(rule.primary_posts_per_class)
            + junior_classes * float(rule.junior_posts_per_class)
            - 1e-9
        )
    return primary_classes + junior_classes, by_ratio, by_class, max(by_ratio, by_class)


def staffing(*, run: ForecastRun, user) -> tuple[int, list[StaffingLine], list[dict]]:
    """Posts each school in scope needs in the first forecast year against the 在编 posts it
    holds in the base year, under the run's district's standard; the lines and the sums per
    town."""
    rule = rule_get(run.unit)
    year = run.base_year + 1
    pupils: dict[int, dict[int, float]] = defaultdict(dict)
    for s, g, e in (
        _run_cells(run, user).filter(year=year).values_list("school_id", "grade", "expected")
    ):
        pupils[s][g] = e
    held = dict(
        Post.objects.filter(year=run.base_year, school_id__in=list(pupils), is_establishment=True)
        .values("school_id")
        .annotate(n=Count("id"))
        .values_list("school_id", "n")
    )
    town_names = dict(OrgUnit.objects.towns().values_list("code", "name"))
    lines = []
    for school in School.objects.filter(pk__in=pupils).select_related("org_unit"):
        total = round(sum(pupils[school.pk].values()))
        small = is_rural(school.urban_rural_code) and (
            school.stage == SchoolStage.TEACHING_POINT or total < rule.small_school_pupils
        )
        classes, by_ratio, by_class, needed = posts_needed(pupils[school.pk], rule, small=small)
        lines.append(
            StaffingLine(
                school=school,
                town=_town_name(school.org_unit.path, town_names),
                pupils=total,
                classes=classes,
                by_ratio=by_ratio,
                by_class=by_class,
                needed=needed,
                held=held.get(school.pk, 0),
                small=small,
            )
        )
    lines.sort(key=lambda line: line.school.org_unit.path)
    towns: dict[str, dict] = {}
    for line in lines:
        t = towns.setdefault(
            line.town, {"name": line.town, "needed": 0, "held": 0, "short": 0, "over": 0}
        )
        t["needed"] += line.needed
        t["held"] += line.held
        t["short"] += max(line.gap, 0)
        t["over"] += max(-line.gap, 0)
    return year, lines, list(towns.values())


def births_list(user):
    return BirthRecord.objects.for_user(user).filter(village__kind=OrgUnitKind.VILLAGE)


def subject_staffing(*, run: ForecastRun, user) -> tuple[int, list[dict], list[dict]]:
    """缺编/超编 by subject for each school in scope in the first forecast year, and per town,
    under the run's district's standard."""
    from .subjects import gaps_text, school_subjects, town_totals

    rule = rule_get(run.unit)
    year = run.base_year + 1
    classes: dict[int, dict[int, int]] = defaultdict(dict)
    for s, g, e in (
        _run_cells(run, user).filter(year=year).values_list("school_id", "grade", "expected")
    ):
        classes[s][g] = classes_for(e, g, rule)
    held: dict[int, dict[str, int]] = defaultdict(dict)
    for s, subject, n in (
        Post.objects.filter(
            year=run.base_year, school_id__in=list(classes), is_full_time_teacher=True
        )
        .values("school_id", "subject")
        .annotate(n=Count("id"))
        .values_list("school_id", "subject", "n")
    ):
        held[s][subject] = n
    town_names = dict(OrgUnit.objects.towns().values_list("code", "name"))
    lines = []
    for school in School.objects.filter(pk__in=classes).select_related("org_unit"):
        rows = school_subjects(classes[school.pk], held[school.pk], rule)
        lines.append(
            {
                "school": school,
                "town": _town_name(school.org_unit.path, town_names),
                "subjects": rows,
                "short": gaps_text(rows, "short"),
                "over": gaps_text(rows, "over"),
                "short_total": sum(r["short"] for r in rows),
                "over_total": sum(r["over"] for r in rows),
            }
        )
    lines.sort(key=lambda line: line["school"].org_unit.path)
    return year, lines, town_totals(lines)
