"""四查三比对: the partner lists matched to the roster by blind index, set-based (a few
queries for the whole district, never one per child), into the working lists (`Finding`).

For school year Y:
- 疑似失学: a child on Y's household register with no enrolment in Y, who is neither a
  suspected dropout (below) nor accounted for by a confirmed transfer;
- 疑似辍学: a pupil enrolled in Y-1 in grades 1–9 with no enrolment in Y and no confirmed
  transfer in Y-1 or Y; leaving after the last grade of the school's stage (grade 9, or
  grade 6 of a school that teaches no grade 7) is a graduation, not a dropout (a primary
  leaver who starts nowhere is still found as 疑似失学 when on the household register);
- 重点类别儿童: a child on any priority list (残联, 脱贫/监测, 民政), placed at the school
  attending in Y, else at the town of the list's village, noting the roster flags missing;
- 在多个名单中: a child on two or more priority lists.

Repeatable: a finding is keyed by (year, list, child) and updated in place; a child no longer
found is kept with `present` off. A cleared finding stays cleared while its `basis` (the facts
that put the child there) is unchanged, and is reopened when they change. A child in an open
case is linked to it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from ruraledu.core.bulk import chunked, insert_rows, select_in, update_rows
from ruraledu.orgunits.choices import GRADE_RANGES, TOWN_LEVEL_KINDS
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.students.choices import TransferStatus
from ruraledu.students.models import Enrolment, StudentPerson, Transfer

from .choices import FindingKind, ListKind
from .models import CrossCheckRun, DropoutCase, Finding, ListEntry

# the roster flag that says the same as each priority list
ROSTER_FLAGS = {
    ListKind.DISABLED: ("disability", "残疾"),
    ListKind.POVERTY: ("family_status", "脱贫/监测户"),
    ListKind.ORPHAN: ("orphan", "孤儿"),
    ListKind.UNATTENDED: ("unattended", "事实无人抚养"),
    ListKind.HARDSHIP: ("hardship", "困境儿童"),
}
# what a run writes of each finding; compared with what is stored to decide an update
VALUES = (
    "name",
    "id_hint",
    "birth_date",
    "student",
    "entry",
    "school",
    "town",
    "unit",
    "lists",
    "note",
    "basis",
)
Progress = Callable[[int], None]


@dataclass
class CheckStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: int = 0
    reopened: int = 0
    linked: int = 0
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def graduated(stage: str, grade: int) -> bool:
    """Leaving after this grade ends the pupil's stage at this school (or compulsory
    education): not a dropout."""
    if grade >= 9:
        return True
    grades = GRADE_RANGES.get(stage, range(1, 10))
    return grade == grades.stop - 1


def _towns_of_schools() -> tuple[dict[int, tuple[int, str, str]], dict[int, int]]:
    """school pk -> (stage, name, …) and school pk -> its town's pk."""
    towns = dict(OrgUnit.objects.filter(kind__in=TOWN_LEVEL_KINDS).values_list("path", "pk"))
    schools, town_of = {}, {}
    for pk, stage, name, path in School.objects.values_list(
        "org_unit_id", "stage", "org_unit__name", "org_unit__path"
    ):
        schools[pk] = (stage, name)
        parts = path.split("/")
        for depth in range(len(parts) - 1, 0, -1):
            town = towns.get("/".join(parts[:depth]) + "/")
            if town is not None:
                town_of[pk] = town
                break
    return schools, town_of


def cross_check(*, year: int, run: CrossCheckRun, progress: Progress | None = None) -> CheckStats:
    """Bring the year's findings up to date with the lists and the roster (see the module)."""
    started = timezone.now()
    step = progress or (lambda percent: None)
    stats = CheckStats()

    # the lists: per child, the household entry and the priority lists the child is on
    household: dict[str, tuple] = {}
    any_entry: dict[str, tuple] = {}
    lists_of: dict[str, set[str]] = {}
    for row in ListEntry.objects.filter(year=year).values_list(
        "id_index", "kind", "pk", "name", "id_hint", "birth_date", "village_id", "town_id"
    ):
        key, kind = row[0], row[1]
        if kind == ListKind.HOUSEHOLD:
            household[key] = row
        else:
            lists_of.setdefault(key, set()).add(kind)
        any_entry.setdefault(key, row)
    step(15)

    # the roster: enrolments of the year and the one before, transfers, open cases
    schools, town_of = _towns_of_schools()
    now: dict[int, tuple] = {}
    before: dict[int, tuple] = {}
    flag_fields = [f for f, _ in ROSTER_FLAGS.values()]
    for person, enrolled_year, school, grade, *flags in Enrolment.objects.filter(
        year__in=(year - 1, year)
    ).values_list("person_id", "year", "school_id", "grade", *flag_fields):
        if enrolled_year == year:
            now[person] = (school, grade, flags)
        else:
            before[person] = (school, grade)
    transferred = set(
        Transfer.objects.filter(
            status=TransferStatus.CONFIRMED, year__in=(year - 1, year)
        ).values_list("person_id", flat=True)
    )
    step(40)
    dropouts = {
        person: place
        for person, place in before.items()
        if person not in now
        and person not in transferred
        and place[1] <= 9
        and not graduated(schools[place[0]][0], place[1])
    }
    # persons by blind index: the children on the lists and the suspected dropouts
    person_fields = ("id_index", "pk", "name", "id_hint", "birth_date")
    # a semi-join in the database: hundreds of thousands of keys sent back as IN lists cost
    # far more than letting the database match the two indexes
    on_lists = ListEntry.objects.filter(year=year).values("id_index")
    person_of: dict[str, tuple] = {
        row[0]: row
        for row in StudentPerson.objects.filter(id_index__in=on_lists).values_list(*person_fields)
    }
    missing = set(dropouts) - {row[1] for row in person_of.values()}
    for row in select_in(StudentPerson, person_fields, "id", sorted(missing)):
        person_of[row[0]] = row
    open_case = dict(DropoutCase.objects.open().values_list("person_id", "pk"))
    step(55)

    wanted: dict[tuple[str, str], tuple] = {}

    def lists_text(key: str) -> str:
        kinds = sorted(lists_of.get(key, ()))
        return ",".join(([ListKind.HOUSEHOLD] if key in household else []) + kinds)

    def person_values(key: str, student, entry, school, town, unit, note, basis):
        source = person_of.get(key) or any_entry[key]
        name, hint, birth = (
            (source[2], source[3], source[4])
            if key in person_of
            else (
                source[3],
                source[4],
                source[5],
            )
        )
        return (name, hint, birth, student, entry, school, town, unit, lists_text(key), note, basis)

    for key, (_, _, entry, *_rest, village, town) in household.items():
        person = person_of.get(key)
        pk = person[1] if person else None
        if pk in now or pk in dropouts or pk in transferred:
            continue
        last = before.get(pk)
        if last:
            note = f"{year - 1}学年在{schools[last[0]][1]}{last[1]}年级，本学年未见学籍"
        else:
            note = "本学年在全区学籍中未见登记"
        basis = f"v{village}|{last[0] if last else ''}-{last[1] if last else ''}"
        wanted[(FindingKind.NOT_ENROLLED, key)] = person_values(
            key, pk, entry, None, town, town, note, basis
        )
    for key, (_, pk, *_rest) in person_of.items():
        if pk not in dropouts:
            continue
        school, grade = dropouts[pk]
        entry = household.get(key, (None, None, None))[2]
        note = f"{year - 1}学年{grade}年级，本学年未见学籍，也没有已确认的转学"
        wanted[(FindingKind.DROPOUT, key)] = person_values(
            key, pk, entry, school, town_of.get(school), school, note, f"s{school}|g{grade}"
        )
    for key, kinds in lists_of.items():
        person = person_of.get(key)
        pk = person[1] if person else None
        source = household.get(key) or any_entry[key]
        place = now.get(pk)
        if place:
            school, town, unit = place[0], town_of.get(place[0]), place[0]
            missing_flags = [
                label
                for kind in sorted(kinds)
                for flag, label in [ROSTER_FLAGS[kind]]
                if not place[2][flag_fields.index(flag)]
            ]
            note = f"{schools[school][1]}{place[1]}年级"
            if missing_flags:
                note += "；学生名册未标记：" + "、".join(missing_flags)
        else:
            school, town, unit = None, source[7], source[7]
            note = "本学年未见学籍"
        labels = "、".join(ListKind(k).label for k in sorted(kinds))
        basis = f"{','.join(sorted(kinds))}|{unit}"
        wanted[(FindingKind.PRIORITY, key)] = person_values(
            key, pk, source[2], school, town, unit, note, basis
        )
        if len(kinds) > 1:
            wanted[(FindingKind.MULTI_LIST, key)] = person_values(
                key, pk, source[2], school, town, unit, f"同时在：{labels}", basis
            )
    step(70)
    _store(year, run, wanted, open_case, stats)
    step(95)
    stats.counts = {
        row["kind"]: row["n"]
        for row in Finding.objects.filter(year=year, present=True, clear_reason="")
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    }
    stats.seconds = (timezone.now() - started).total_seconds()
    return stats


def _store(year: int, run: CrossCheckRun, wanted: dict, open_case: dict, stats: CheckStats):
    """Insert the new findings, update the changed, mark the ones no longer found: a few
    bulk statements whatever the number of children."""
    student_at = VALUES.index("student")
    basis_at = VALUES.index("basis")
    columns = [
        f"{f}_id" if f in ("student", "entry", "school", "town", "unit") else f for f in VALUES
    ]
    stored = {}
    for pk, kind, key, present, reason, cleared_basis, case, *values in Finding.objects.filter(
        year=year
    ).values_list(
        "pk", "kind", "id_index", "present", "clear_reason", "cleared_basis", "case_id", *columns
    ):
        stored[(kind, key)] = (pk, present, reason, cleared_basis, case, tuple(values))
    new, changes, reopen = [], [], []
    for (kind, key), values in wanted.items():
        case = open_case.get(values[student_at])
        if (kind, key) not in stored:
            new.append((year, kind, key, *values, True, run.pk, run.pk, case, "", "", ""))
            continue
        pk, present, reason, cleared_basis, linked, old = stored[(kind, key)]
        linked_now = case or linked
        if reason and cleared_basis != values[basis_at]:
            reopen.append(pk)
        if old != values or not present or linked_now != linked:
            changes.append((*values, True, linked_now, run.pk, pk))
            stats.linked += linked_now != linked and linked_now is not None
        else:
            stats.unchanged += 1
    gone = [
        (pk,)
        for (kind, key), (pk, present, *_rest) in stored.items()
        if present and (kind, key) not in wanted
    ]
    insert_rows(
        Finding,
        (
            "year",
            "kind",
            "id_index",
            *VALUES,
            "present",
            "found_run",
            "seen_run",
            "case",
            "clear_reason",
            "clear_evidence",
            "cleared_basis",
        ),
        new,
    )
    update_rows(Finding, (*VALUES, "present", "case", "seen_run"), changes)
    update_rows(Finding, ("present", "seen_run"), [(False, run.pk, pk) for (pk,) in gone])
    if reopen:
        for chunk in chunked(reopen):
            Finding.objects.filter(pk__in=chunk).update(
                clear_reason="",
                clear_evidence="",
                cleared_by=None,
                cleared_at=None,
                cleared_basis="",
            )
    stats.created, stats.updated, stats.gone = len(new), len(changes), len(gone)
    stats.reopened = len(reopen)
    stats.linked += sum(1 for row in new if row[-4] is not None)
