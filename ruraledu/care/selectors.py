"""Reads of care cases, always through the user's scope: the overview's counts (any role that
sees the unit) and the lists with names (care roles only)."""

import datetime as dt

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, Min, Q, Sum, Value, When
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.accounts.scoping import scope_paths
from ruraledu.core.schoolyear import semester_of
from ruraledu.students.models import Enrolment

from .choices import CaseStatus, FindingKind, GrowthFileStatus, GrowthState
from .deadlines import NEGLECT_DAYS
from .models import CaseContact, DropoutCase, Finding, GrowthFile, ListEntry

AGE_BANDS = ((30, "30天以内"), (90, "31–90天"), (None, "90天以上"))


def neglected_condition(day: dt.date) -> Q:
    """疏于跟进 on `day` (of a case open then): found more than 30 days before, and by `day`
    still without a written plan or without a contact in the last 30 days. Before that the
    step deadlines watch the case. The one rule for the lists, the overview and G-13; it
    reads the contacts up to `day`, so a past year's figure stays what it was."""
    since = day - dt.timedelta(days=NEGLECT_DAYS)
    planned = ~Q(plan="") & Q(plan_written_on__lte=day)
    recent = CaseContact.objects.filter(on__gte=since, on__lte=day).values("case_id")
    return Q(opened_on__lt=since) & ~(planned & Q(pk__in=recent))


def case_list(*, user, today: dt.date | None = None):
    """The cases a care role works or oversees, with `neglected` and `overdue` flags."""
    today = today or timezone.localdate()
    open_case = ~Q(status=CaseStatus.CLOSED)
    return (
        DropoutCase.objects.for_user(user, Action.CARE)
        .select_related("person", "unit", "town", "school__org_unit")
        .annotate(
            neglected=ExpressionWrapper(
                open_case & neglected_condition(today), output_field=BooleanField()
            ),
            overdue=ExpressionWrapper(
                open_case & Q(deadline__lt=today), output_field=BooleanField()
            ),
        )
    )


def case_get(*, user, pk: int):
    return case_list(user=user).filter(pk=pk).first()


def dashboard_open_cases(*, user, today: dt.date | None = None) -> dict:
    """常态清零 as a live figure: open cases per town with their ages, counts only (no names),
    for every role that sees the town."""
    today = today or timezone.localdate()
    cases = DropoutCase.objects.for_user(user, Action.VIEW).open()
    bands = {}
    lower = None
    for index, (days, _) in enumerate(AGE_BANDS):
        after = today - dt.timedelta(days=days) if days else None
        condition = Q()
        if after:
            condition &= Q(opened_on__gte=after)
        if lower:
            condition &= Q(opened_on__lt=lower)
        bands[f"band{index}"] = Count("pk", filter=condition)
        lower = after
    one = Value(1)
    rows = (
        cases.values("town_id", "town__name", "town__path")
        .order_by("town__path")
        .annotate(
            total=Count("pk"),
            oldest=Min("opened_on"),
            neglected=Sum(Case(When(neglected_condition(today), then=one), default=Value(0))),
            escalated=Count(
                "pk",
                filter=Q(status__in=[CaseStatus.ESCALATED_TOWN, CaseStatus.ESCALATED_DISTRICT])
                | Q(escalation__gt=0),
            ),
            overdue=Count("pk", filter=Q(deadline__lt=today)),
            **bands,
        )
    )
    towns = []
    for row in rows:
        row["oldest_days"] = (today - row["oldest"]).days if row["oldest"] else None
        row["bands"] = [row[f"band{i}"] for i in range(len(AGE_BANDS))]
        towns.append(row)
    totals = {
        key: sum(t[key] for t in towns) for key in ("total", "neglected", "escalated", "overdue")
    }
    totals["bands"] = [sum(t["bands"][i] for t in towns) for i in range(len(AGE_BANDS))]
    ages = [t["oldest_days"] for t in towns if t["oldest_days"] is not None]
    totals["oldest_days"] = max(ages) if ages else None
    closed = DropoutCase.objects.for_user(user, Action.VIEW).filter(status=CaseStatus.CLOSED)
    return {
        "towns": towns,
        "totals": totals,
        "bands": [label for _, label in AGE_BANDS],
        "closed_this_year": closed.filter(closed_on__year=today.year).count(),
    }


def finding_list(*, user, year: int, kind: str, unit_id: int | None = None, cleared=False):
    """A working list of the cross-check, as a care role in scope works it: the children the
    last run still finds, not cleared (or, with `cleared`, the cleared ones)."""
    findings = (
        Finding.objects.for_user(user, Action.CARE)
        .filter(year=year, kind=kind, present=True)
        .select_related("unit", "town", "school__org_unit", "case")
    )
    findings = findings.exclude(clear_reason="") if cleared else findings.filter(clear_reason="")
    if unit_id:
        findings = findings.filter(Q(unit_id=unit_id) | Q(town_id=unit_id))
    # masked names in name order would hint at the hidden characters: name order only where
    # every name the list can hold is shown in full, else the order they were found in
    by_name = Reach(user, Action.VIEW_PERSONAL).covers_all(scope_paths(user, Action.CARE))
    return findings.order_by("unit__path", "name" if by_name else "pk", "pk")


def finding_get(*, user, pk: int):
    return (
        Finding.objects.for_user(user, Action.CARE)
        .select_related("unit", "town", "school__org_unit", "case", "entry", "student")
        .filter(pk=pk)
        .first()
    )


def dashboard_findings(*, user, year: int) -> list[dict]:
    """Counts of each working list per town and per school (or town office), for every
    role that sees the unit: numbers only, no names."""
    rows = (
        Finding.objects.for_user(user, Action.VIEW)
        .filter(year=year, present=True, clear_reason="")
        .values("town_id", "town__name", "town__path", "unit_id", "unit__name", "unit__path")
        .annotate(**{kind: Count("pk", filter=Q(kind=kind)) for kind in FindingKind.values})
        .order_by("town__path", "unit__path")
    )
    return list(rows)


def growth_state(file, today: dt.date) -> str:
    """The list's state of a flagged pupil's latest file (none, no plan, plan, reviewed this
    term, exited)."""
    if file is None:
        return GrowthState.NO_FILE
    if file.status == GrowthFileStatus.EXITED:
        return GrowthState.EXITED
    if file.plan_set_on is None:
        return GrowthState.NO_PLAN
    if file.last_review_on and semester_of(file.last_review_on) == semester_of(today):
        return GrowthState.REVIEWED
    return GrowthState.PLAN


def growth_pupil_list(*, user, year: int, unit_id: int | None = None):
    """The pupils flagged 学困生 in `year` at the schools where the user works care cases."""
    enrolments = (
        Enrolment.objects.for_user(user, Action.CARE)
        .filter(year=year, struggling=True)
        .select_related("person", "school__org_unit")
    )
    if unit_id:
        enrolments = enrolments.filter(
            Q(school__org_unit_id=unit_id) | Q(school__org_unit__parent_id=unit_id)
        )
    return enrolments.order_by("school__org_unit__path", "grade", "class_name", "pk")


def growth_files_of(person_ids) -> dict:
    """Each person's open file, else their latest exited one. `person_ids` may be a
    queryset: it then stays a subquery (a city's list passes SQLite's parameter limit)."""
    latest: dict = {}
    files = (
        GrowthFile.objects.filter(person_id__in=person_ids)
        .select_related("unit")
        .order_by("assessed_on", "pk")
    )
    for file in files:
        current = latest.get(file.person_id)
        if current is None or current.status == GrowthFileStatus.EXITED:
            latest[file.person_id] = file
    return latest


def growth_file_get(*, user, pk: int):
    return (
        GrowthFile.objects.for_user(user, Action.CARE)
        .select_related("person", "unit", "school")
        .filter(pk=pk)
        .first()
    )


def neglected_cases(*, user, today: dt.date | None = None):
    """The open cases neglected today (`neglected_condition`), oldest first, for the town's
    page."""
    return case_list(user=user, today=today).filter(neglected=True).order_by("opened_on", "pk")


def child_subjects(person) -> list[str]:
    """Every access-log subject that names this child: the roster's person, the child's
    cases, the cross-check rows that found the child and the partner lists' entries."""
    cases = DropoutCase.objects.filter(person=person).values_list("pk", flat=True)
    findings = Finding.objects.filter(Q(student=person) | Q(id_index=person.id_index))
    entries = ListEntry.objects.filter(id_index=person.id_index).values_list("pk", flat=True)
    return [
        f"students.studentperson:{person.pk}",
        *(f"care.dropoutcase:{pk}" for pk in cases),
        *(f"care.finding:{pk}" for pk in findings.values_list("pk", flat=True)),
        *(f"care.listentry:{pk}" for pk in entries),
    ]
