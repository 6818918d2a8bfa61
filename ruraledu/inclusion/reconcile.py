"""The 残联 list reconciled with placements, and the 送教上门 children's progress, for the
whole district in a few queries (never one per child). Unscoped: selectors filter the rows
by the user's reach, the indicators count them.

A child of the year's 残疾儿童名单 is placed by the registry when enrolled that year (the
enrolment's placement, or 特教学校 when the school is one), else by a recorded decision,
else unplaced when of compulsory-school age (six to fourteen full years on 31 August)."""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from ruraledu.care.choices import ListKind
from ruraledu.care.imports import school_age_window
from ruraledu.care.models import ListEntry
from ruraledu.core.bulk import select_in
from ruraledu.core.schoolyear import school_year_bounds
from ruraledu.orgunits.choices import SchoolStage
from ruraledu.orgunits.models import OrgUnit
from ruraledu.students.choices import Placement
from ruraledu.students.models import Enrolment, StudentPerson

from .choices import DecisionKind, PlacementState
from .models import DEFAULT_TERM_MONTHS, HomeVisit, PlacementDecision, VisitRule, parse_months

REGISTRY_STATES = {
    Placement.MAINSTREAM: PlacementState.MAINSTREAM,
    Placement.HOME: PlacementState.HOME,
    Placement.SPECIAL_SCHOOL: PlacementState.SPECIAL_SCHOOL,
}


@dataclass
class ChildRow:
    """One child of the 残联 list in a year, where the child stands."""

    entry: ListEntry
    state: str
    source: str  # "学籍", "安置决定" or ""
    unit_id: int  # the school's unit, else the town of the list's village
    unit_path: str
    school_name: str = ""
    person_id: int | None = None
    decision: PlacementDecision | None = None
    note: str = ""

    @property
    def subject(self) -> str:
        """What a read of the child's name is logged against (the student when enrolled)."""
        if self.person_id:
            return f"students.studentperson:{self.person_id}"
        return f"care.listentry:{self.entry.pk}"

    @property
    def state_label(self) -> str:
        return PlacementState(self.state).label

    @property
    def decidable(self) -> bool:
        """A decision may be recorded: the registry does not place the child this year, and
        the child is of compulsory-school age."""
        return self.source != "学籍" and self.state != PlacementState.OUT_OF_AGE

    @property
    def placed(self) -> bool:
        return self.state not in (PlacementState.UNPLACED, PlacementState.OUT_OF_AGE)


def _units() -> dict[int, tuple[str, str]]:
    return {
        pk: (path, name) for pk, path, name in OrgUnit.objects.values_list("pk", "path", "name")
    }


def reconcile(year: int, units: dict | None = None, within: str = "") -> list[ChildRow]:
    """Every child of `year`'s 残疾儿童名单 with its placement state, ordered by town and name;
    with `within` (an org-tree path), only the children listed in towns under it."""
    units = units if units is not None else _units()
    entries = list(
        ListEntry.objects.filter(year=year, kind=ListKind.DISABLED, town__path__startswith=within)
        .select_related("town", "village")
        .order_by("town__path", "name", "pk")
    )
    keys = sorted({e.id_index for e in entries})
    person_of = dict(select_in(StudentPerson, ("id_index", "pk"), "id_index", keys))
    enrolled = {
        e.person_id: e
        for e in Enrolment.objects.filter(year=year, person_id__in=list(person_of.values()))
        .select_related("school")
        .only("person_id", "school_id", "school__stage", "placement", "disability", "grade")
    }
    decisions = {
        d.id_index: d
        for d in PlacementDecision.objects.filter(year=year, id_index__in=keys).select_related(
            "school"
        )
    }
    first, last = school_age_window(year)
    rows = []
    for entry in entries:
        person = person_of.get(entry.id_index)
        enrolment = enrolled.get(person)
        decision = decisions.get(entry.id_index)
        town_path = units[entry.town_id][0]
        if enrolment is not None:
            state = REGISTRY_STATES.get(enrolment.placement)
            if state is None:
                special = enrolment.school.stage == SchoolStage.SPECIAL
                state = PlacementState.SPECIAL_SCHOOL if special else PlacementState.ENROLLED
            path, school = units[enrolment.school_id]
            note = "" if enrolment.disability else "学籍未标记残疾"
            rows.append(
                ChildRow(
                    entry, state, "学籍", enrolment.school_id, path, school, person, None, note
                )
            )
        elif decision is not None:
            path, _ = units[decision.unit_id]
            school = units[decision.school_id][1] if decision.school_id else decision.place_note
            rows.append(
                ChildRow(
                    entry,
                    decision.kind,
                    "安置决定",
                    decision.unit_id,
                    path,
                    school,
                    person,
                    decision,
                )
            )
        else:
            born = entry.birth_date
            in_age = born is not None and first <= born <= last
            state = PlacementState.UNPLACED if in_age else PlacementState.OUT_OF_AGE
            rows.append(ChildRow(entry, state, "", entry.town_id, town_path, "", person))
    return rows


# ---------------------------------------------------------------- 送教上门 progress


def visit_rule(year: int) -> tuple[int, tuple[int, ...]]:
    """(visits per month, term months) the bureau set for the year, else the defaults."""
    rule = VisitRule.objects.filter(year=year).first()
    if rule is None:
        return 2, parse_months(DEFAULT_TERM_MONTHS)
    return rule.visits_per_month, rule.months()


def term_months(year: int, months: tuple[int, ...]) -> list[tuple[dt.date, dt.date]]:
    """The (first day, last day) of each term month of the school year, in order."""
    result = []
    for month in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8):
        if month in months:
            calendar_year = year if month >= 9 else year + 1
            days = calendar.monthrange(calendar_year, month)[1]
            result.append((dt.date(calendar_year, month, 1), dt.date(calendar_year, month, days)))
    return result


@dataclass
class HomeRow:
    """A 送教上门 child of the year: who teaches, since when, how many visits were due by the
    day and how many were made."""

    key: str  # "p<person pk>" for an enrolled child, "d<decision pk>" for a decided one
    id_index: str
    name: str
    id_hint: str
    school_id: int
    unit_path: str
    school_name: str
    since: dt.date
    due: int = 0
    done: int = 0
    hours: float = 0.0
    months: list = field(default_factory=list)  # [(label, visits, required or None)]
    subject: str = ""  # what a read of the name is logged against

    @property
    def behind(self) -> bool:
        return self.done < self.due

    @property
    def short(self) -> int:
        return max(0, self.due - self.done)


def home_enrolled(enrolments) -> list[tuple[int, str, str, str, int]]:
    """(person pk, ID index, name, ID hint, school) of the enrolments placed 送教上门."""
    return [
        (e.person.pk, e.person.id_index, e.person.name, e.person.id_hint, e.school_id)
        for e in enrolments.filter(placement=Placement.HOME)
        .select_related("person")
        .only("school_id", "person__name", "person__id_index", "person__id_hint")
    ]


def home_children(
    year: int, day: dt.date, units: dict | None = None, enrolled: list | None = None
) -> list[HomeRow]:
    """The year's 送教上门 children (enrolments placed 送教上门, and decisions of 送教上门 for
    children not enrolled) with their visits up to `day`, against the year's rule: each term
    month that began on or after the child's start and has ended by `day` asks for the set
    number of visits; the visits of the year up to `day` count against the sum (a missed
    visit can be made up). `enrolled`: the `home_enrolled` rows when already read."""
    units = units if units is not None else _units()
    start = school_year_bounds(year)[0]
    rows: dict[str, HomeRow] = {}
    if enrolled is None:
        enrolled = home_enrolled(Enrolment.objects.filter(year=year))
    for person_pk, id_index, name, id_hint, school_id in enrolled:
        path, school = units[school_id]
        rows[id_index] = HomeRow(
            f"p{person_pk}",
            id_index,
            name,
            id_hint,
            school_id,
            path,
            school,
            start,
            subject=f"students.studentperson:{person_pk}",
        )
    for decision in PlacementDecision.objects.filter(
        year=year, kind=DecisionKind.HOME
    ).select_related("entry"):
        if decision.id_index in rows:  # the registry places the child
            continue
        path, school = units[decision.school_id]
        rows[decision.id_index] = HomeRow(
            f"d{decision.pk}",
            decision.id_index,
            decision.entry.name,
            decision.entry.id_hint,
            decision.school_id,
            path,
            school,
            max(start, decision.decided_on),
            subject=f"care.listentry:{decision.entry_id}",
        )
    per_month, months = visit_rule(year)
    periods = term_months(year, months)
    visits: dict[str, list[tuple[dt.date, float]]] = {}
    for key, on, hours in HomeVisit.objects.filter(
        year=year, on__lte=day, id_index__in=list(rows)
    ).values_list("id_index", "on", "hours"):
        visits.setdefault(key, []).append((on, float(hours)))
    for row in rows.values():
        made = visits.get(row.id_index, [])
        row.done = len(made)
        row.hours = sum(h for _, h in made)
        for first, last in periods:
            if first > day:
                break
            counted = first >= row.since
            ended = last < day
            required = per_month if counted and ended else None
            row.due += required or 0
            in_month = sum(1 for on, _ in made if first <= on <= last)
            row.months.append((f"{first.year}年{first.month}月", in_month, required))
    return sorted(rows.values(), key=lambda r: (r.unit_path, r.name, r.key))
