"""四查三比对: the partner lists matched to the roster by blind index, set-based, into the
working lists (`Finding`). The whole check is a fixed number of SQL statements, whatever the
number of children: the lists are staged per child in a temporary table, matched with joins
on the blind index, the wanted findings staged in a second one, and the stored findings
brought up to date from it with one insert and a few updates.

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

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from ruraledu.orgunits.choices import GRADE_RANGES, TOWN_LEVEL_KINDS
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.students.choices import TransferStatus
from ruraledu.students.models import Enrolment, StudentPerson, Transfer

from .choices import ON_LISTS, ROSTER_UNFLAGGED, CaseStatus, FindingKind, ListKind
from .models import CrossCheckRun, DropoutCase, Finding, ListEntry

# the roster flag that says the same as each priority list, as SQL testing it is unset
ROSTER_FLAGS = {
    ListKind.DISABLED: ("NOT n.disability", "残疾"),
    ListKind.POVERTY: ("n.family_status = ''", "脱贫/监测户"),
    ListKind.ORPHAN: ("NOT n.orphan", "孤儿"),
    ListKind.UNATTENDED: ("NOT n.unattended", "事实无人抚养"),
    ListKind.HARDSHIP: ("NOT n.hardship", "困境儿童"),
}
# priority lists in the order their names are joined (sorted by code, as stored before)
KINDS = sorted(ROSTER_FLAGS)
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
COLUMNS = [f"{f}_id" if f in ("student", "entry", "school", "town", "unit") else f for f in VALUES]
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


def text(value: str) -> str:
    """A constant of this module as an SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def _sql(template: str, **tables) -> str:
    return template.format(**tables)


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "entry": quote(ListEntry._meta.db_table),
        "person": quote(StudentPerson._meta.db_table),
        "enrolment": quote(Enrolment._meta.db_table),
        "transfer": quote(Transfer._meta.db_table),
        "school": quote(School._meta.db_table),
        "unit": quote(OrgUnit._meta.db_table),
        "case": quote(DropoutCase._meta.db_table),
        "finding": quote(Finding._meta.db_table),
    }


STAGING = ("care_cc_town", "care_cc_school", "care_cc_child", "care_cc_wanted")

CREATE = [
    # the town-level units (a school's town is looked up among these few, not all units)
    "CREATE TEMPORARY TABLE care_cc_town (id integer PRIMARY KEY, path varchar(255))",
    # per school: the last grade of its stage, its name and its town
    "CREATE TEMPORARY TABLE care_cc_school (school_id integer PRIMARY KEY, last_grade integer,"
    " name varchar(200), town_id integer)",
    # per child on a priority list of the year: the household entry, the first priority
    # entry, each list (the household register alone is read in place: most of its children
    # are on no other list, and staging them cost most of a city-scale run)
    "CREATE TEMPORARY TABLE care_cc_child (id_index varchar(32) PRIMARY KEY,"
    " household_id integer, first_id integer, "
    + ", ".join(f"k_{kind} integer" for kind in KINDS)
    + ", kinds integer)",
    # the findings the run wants, as they are to be stored
    "CREATE TEMPORARY TABLE care_cc_wanted (kind varchar(16), id_index varchar(32),"
    " name varchar(50), id_hint varchar(12), birth_date date, student_id integer,"
    " entry_id integer, school_id integer, town_id integer, unit_id integer,"
    " lists varchar(100), note varchar(200), basis varchar(200), case_id integer,"
    " stored_id integer,"
    " PRIMARY KEY (kind, id_index))",
]


def _towns_sql() -> str:
    towns = ", ".join(text(kind) for kind in TOWN_LEVEL_KINDS)
    return (
        "INSERT INTO care_cc_town (id, path) SELECT id, path FROM {unit} WHERE kind IN ("
        + towns
        + ")"
    )


def _schools_sql() -> str:
    last = " ".join(
        f"WHEN {text(stage)} THEN {grades.stop - 1}" for stage, grades in GRADE_RANGES.items()
    )
    return (
        "INSERT INTO care_cc_school (school_id, last_grade, name, town_id) "
        f"SELECT s.org_unit_id, CASE s.stage {last} ELSE 9 END, u.name, "
        "(SELECT t.id FROM care_cc_town t WHERE SUBSTR(u.path, 1, LENGTH(t.path)) = t.path"
        " ORDER BY LENGTH(t.path) DESC LIMIT 1) "
        "FROM {school} s JOIN {unit} u ON u.id = s.org_unit_id"
    )


def _household(year: int, alias: str, key: str) -> str:
    """A LEFT JOIN of the household entry (alias) of the child whose blind index is `key`."""
    return (
        f" LEFT JOIN {{entry}} {alias} ON {alias}.year = {int(year)}"
        f" AND {alias}.kind = {text(ListKind.HOUSEHOLD)} AND {alias}.id_index = {key}"
    )


def _children_sql(year: int) -> str:
    flags = ", ".join(f"MAX(CASE WHEN l.kind = {text(kind)} THEN 1 ELSE 0 END)" for kind in KINDS)
    priority = ", ".join(text(kind) for kind in KINDS)
    return (
        "INSERT INTO care_cc_child (id_index, household_id, first_id, "
        + ", ".join(f"k_{kind}" for kind in KINDS)
        + ", kinds) "
        f"SELECT l.id_index, MAX(h.id), MIN(l.id), {flags}, COUNT(*) "
        "FROM {entry} l" + _household(year, "h", "l.id_index") + " "
        f"WHERE l.year = {int(year)} AND l.kind IN ({priority}) GROUP BY l.id_index"
    )


def _joined(parts: list[tuple[str, str]], separator: str) -> str:
    """SQL joining, with a one-character `separator`, the labels whose condition holds."""
    pieces = " || ".join(
        f"CASE WHEN {condition} THEN {text(separator + label)} ELSE '' END"
        for condition, label in parts
    )
    return f"SUBSTR({pieces}, 2)"


def _lists_expr(household: str = "h.id") -> str:
    """The child's lists, household first then the priority lists by code (as `lists`)."""
    parts = [(f"{household} IS NOT NULL", ListKind.HOUSEHOLD.value)]
    parts += [(f"c.k_{kind} = 1", kind) for kind in KINDS]
    return "COALESCE(" + _joined(parts, ",") + ", '')"


def _kinds_expr() -> str:
    return _joined([(f"c.k_{kind} = 1", kind) for kind in KINDS], ",")


WANTED = "INSERT INTO care_cc_wanted (kind, id_index, " + ", ".join(COLUMNS) + ") "


def _dropouts_sql(year: int) -> str:
    before = int(year) - 1
    return WANTED + (
        f"SELECT {text(FindingKind.DROPOUT)}, p.id_index, p.name, p.id_hint, p.birth_date, p.id,"
        " h.id, e.school_id, s.town_id, e.school_id, " + _lists_expr() + ","
        f" {text(f'{before}学年')} || CAST(e.grade AS TEXT) ||"
        f" {text('年级，本学年未见学籍，也没有已确认的转学')},"
        " 's' || CAST(e.school_id AS TEXT) || '|g' || CAST(e.grade AS TEXT) "
        "FROM {enrolment} e JOIN care_cc_school s ON s.school_id = e.school_id"
        " JOIN {person} p ON p.id = e.person_id"
        " LEFT JOIN care_cc_child c ON c.id_index = p.id_index"
        + _household(year, "h", "p.id_index")
        + " "
        f"WHERE e.year = {before} AND e.grade < 9 AND e.grade <> s.last_grade"
        f" AND NOT EXISTS (SELECT 1 FROM {{enrolment}} n WHERE n.person_id = e.person_id"
        f" AND n.year = {int(year)})"
        " AND NOT EXISTS (SELECT 1 FROM {transfer} t WHERE t.person_id = e.person_id"
        f" AND t.status = {text(TransferStatus.CONFIRMED)} AND t.year IN ({before}, {int(year)}))"
    )


def _not_enrolled_sql(year: int) -> str:
    before = int(year) - 1
    return WANTED + (
        f"SELECT {text(FindingKind.NOT_ENROLLED)}, h.id_index, COALESCE(p.name, h.name),"
        " COALESCE(p.id_hint, h.id_hint),"
        " CASE WHEN p.id IS NULL THEN h.birth_date ELSE p.birth_date END, p.id,"
        " h.id, NULL, h.town_id, h.town_id, " + _lists_expr() + ","
        f" CASE WHEN b.id IS NULL THEN {text('本学年在全区学籍中未见登记')}"
        f" ELSE {text(f'{before}学年在')} || bs.name || CAST(b.grade AS TEXT) ||"
        f" {text('年级，本学年未见学籍')} END,"
        " 'v' || CAST(h.village_id AS TEXT) || '|' || COALESCE(CAST(b.school_id AS TEXT), '')"
        " || '-' || COALESCE(CAST(b.grade AS TEXT), '') "
        "FROM {entry} h LEFT JOIN care_cc_child c ON c.id_index = h.id_index"
        " LEFT JOIN {person} p ON p.id_index = h.id_index"
        f" LEFT JOIN {{enrolment}} b ON b.person_id = p.id AND b.year = {before}"
        " LEFT JOIN care_cc_school bs ON bs.school_id = b.school_id "
        f"WHERE h.year = {int(year)} AND h.kind = {text(ListKind.HOUSEHOLD)}"
        " AND NOT EXISTS (SELECT 1 FROM {enrolment} n WHERE n.person_id = p.id"
        f" AND n.year = {int(year)})"
        " AND NOT EXISTS (SELECT 1 FROM {transfer} t WHERE t.person_id = p.id"
        f" AND t.status = {text(TransferStatus.CONFIRMED)} AND t.year IN ({before}, {int(year)}))"
        # a pupil of last year who left without graduating is a dropout, found above
        " AND (b.id IS NULL OR b.grade >= 9 OR b.grade = bs.last_grade)"
    )


def _priority_sql(year: int) -> str:
    missing = _joined(
        [(f"c.k_{kind} = 1 AND {ROSTER_FLAGS[kind][0]}", ROSTER_FLAGS[kind][1]) for kind in KINDS],
        "、",
    )
    return WANTED + (
        f"SELECT {text(FindingKind.PRIORITY)}, c.id_index, COALESCE(p.name, src.name),"
        " COALESCE(p.id_hint, src.id_hint),"
        " CASE WHEN p.id IS NULL THEN src.birth_date ELSE p.birth_date END, p.id, src.id,"
        " n.school_id, CASE WHEN n.id IS NULL THEN src.town_id ELSE ns.town_id END,"
        " COALESCE(n.school_id, src.town_id), " + _lists_expr("c.household_id") + ","
        f" CASE WHEN n.id IS NULL THEN {text('本学年未见学籍')}"
        f" ELSE ns.name || CAST(n.grade AS TEXT) || {text('年级')} ||"
        f" CASE WHEN {missing} = '' THEN ''"
        f" ELSE {text(ROSTER_UNFLAGGED)} || {missing} END END,"
        f" {_kinds_expr()} || '|' || CAST(COALESCE(n.school_id, src.town_id) AS TEXT) "
        "FROM care_cc_child c JOIN {entry} src ON src.id = COALESCE(c.household_id, c.first_id)"
        " LEFT JOIN {person} p ON p.id_index = c.id_index"
        f" LEFT JOIN {{enrolment}} n ON n.person_id = p.id AND n.year = {int(year)}"
        " LEFT JOIN care_cc_school ns ON ns.school_id = n.school_id "
        "WHERE c.kinds > 0"
    )


def _multi_sql() -> str:
    labels = _joined([(f"c.k_{kind} = 1", ListKind(kind).label) for kind in KINDS], "、")
    columns = ", ".join(f"w.{column}" for column in COLUMNS if column != "note")
    return (
        "INSERT INTO care_cc_wanted (kind, id_index, "
        + ", ".join(c for c in COLUMNS if c != "note")
        + ", note) "
        f"SELECT {text(FindingKind.MULTI_LIST)}, w.id_index, {columns},"
        f" {text(ON_LISTS)} || {labels} "
        # from the few children on several lists to their priority finding (the staged
        # findings have no statistics yet to plan the other way round)
        "FROM care_cc_child c JOIN care_cc_wanted w"
        f" ON w.kind = {text(FindingKind.PRIORITY)} AND w.id_index = c.id_index "
        "WHERE c.kinds > 1"
    )


def _cases_sql() -> str:
    # the open case of the child, if any (the newest when, unusually, there are two)
    return (
        "UPDATE care_cc_wanted SET case_id = (SELECT MAX(d.id) FROM {case} d"
        " WHERE d.person_id = care_cc_wanted.student_id"
        f" AND d.status <> {text(CaseStatus.CLOSED)}) "
        "WHERE student_id IN (SELECT person_id FROM {case}"
        f" WHERE status <> {text(CaseStatus.CLOSED)})"
    )


def _differs(a: str, b: str) -> str:
    operator = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return f"{a} {operator} {b}"


def _store(cursor, year: int, run_id: int, stats: CheckStats) -> None:
    """Insert the new findings, update the changed, mark the ones no longer found: a few
    statements over the staged findings, whatever their number.

    Each wanted finding is first matched to the stored one (its id kept in the staging table);
    the writes then join on that id. Testing "not stored yet" inside the insert itself would
    let PostgreSQL scan the rows the insert is adding, once per row."""
    year, run_id = int(year), int(run_id)
    f, tables = "{finding}", _tables()

    def run(sql: str) -> int:
        cursor.execute(_sql(sql, **tables))
        return cursor.rowcount

    def count(sql: str) -> int:
        cursor.execute(_sql(sql, **tables))
        return cursor.fetchone()[0]

    if connection.vendor == "postgresql":
        run(f"ANALYZE {f}")
    run(
        f"UPDATE care_cc_wanted SET stored_id = s.id FROM {f} s WHERE s.year = {year}"
        " AND s.kind = care_cc_wanted.kind AND s.id_index = care_cc_wanted.id_index"
    )
    run("CREATE INDEX care_cc_wanted_stored ON care_cc_wanted (stored_id)")
    if connection.vendor == "postgresql":
        run("ANALYZE care_cc_wanted")
    same = f"w.stored_id = {f}.id"
    stats.linked = count(
        f"SELECT COUNT(*) FROM care_cc_wanted w JOIN {f} ON {same} "
        f"WHERE w.case_id IS NOT NULL AND {_differs('w.case_id', f + '.case_id')}"
    )
    stats.reopened = run(
        f"UPDATE {f} SET clear_reason = '', clear_evidence = '', cleared_by_id = NULL,"
        " cleared_at = NULL, cleared_basis = '' "
        f"FROM care_cc_wanted w WHERE {same} AND {f}.clear_reason <> ''"
        f" AND w.basis <> {f}.cleared_basis"
    )
    changed = " OR ".join(_differs(f"w.{c}", f"{f}.{c}") for c in COLUMNS)
    assignments = ", ".join(f"{c} = w.{c}" for c in COLUMNS)
    stats.updated = run(
        f"UPDATE {f} SET {assignments}, present = TRUE, seen_run_id = {run_id},"
        f" case_id = COALESCE(w.case_id, {f}.case_id) "
        f"FROM care_cc_wanted w WHERE {same} AND ({changed} OR NOT {f}.present"
        f" OR (w.case_id IS NOT NULL AND {_differs('w.case_id', f + '.case_id')}))"
    )
    stats.gone = run(
        f"UPDATE {f} SET present = FALSE, seen_run_id = {run_id} "
        f"WHERE {f}.year = {year} AND {f}.present AND NOT EXISTS (SELECT 1 FROM"
        f" care_cc_wanted w WHERE {same})"
    )
    names = ", ".join(COLUMNS)
    stats.created = run(
        f"INSERT INTO {f} (year, kind, id_index, {names}, present, found_run_id, seen_run_id,"
        " case_id, clear_reason, clear_evidence, cleared_basis) "
        f"SELECT {year}, w.kind, w.id_index, {', '.join('w.' + c for c in COLUMNS)}, TRUE,"
        f" {run_id}, {run_id}, w.case_id, '', '', '' FROM care_cc_wanted w "
        "WHERE w.stored_id IS NULL"
    )
    stats.linked += count(
        "SELECT COUNT(*) FROM care_cc_wanted WHERE stored_id IS NULL AND case_id IS NOT NULL"
    )
    wanted = count("SELECT COUNT(*) FROM care_cc_wanted")
    stats.unchanged = wanted - stats.created - stats.updated


def _drop(cursor) -> None:
    for table in STAGING:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


@transaction.atomic
def cross_check(*, year: int, run: CrossCheckRun, progress: Progress | None = None) -> CheckStats:
    """Bring the year's findings up to date with the lists and the roster (see the module)."""
    started = timezone.now()
    step = progress or (lambda percent: None)
    stats = CheckStats()
    tables = _tables()
    analyse = connection.vendor == "postgresql"  # temporary tables get no statistics otherwise
    with connection.cursor() as cursor:
        if analyse:
            # for this transaction only: the joins over the whole register hash in memory
            # instead of spilling to disk in batches, and the statements, run once each, are
            # not compiled (JIT took longer than it saved)
            cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute("SET LOCAL jit = off")
        _drop(cursor)
        for statement in CREATE:
            cursor.execute(statement)
        cursor.execute(_sql(_towns_sql(), **tables))
        cursor.execute(_sql(_schools_sql(), **tables))
        cursor.execute(_sql(_children_sql(year), **tables))
        if analyse:
            cursor.execute("ANALYZE care_cc_school")
            cursor.execute("ANALYZE care_cc_child")
        step(15)
        cursor.execute(_sql(_dropouts_sql(year), **tables))
        step(35)
        cursor.execute(_sql(_not_enrolled_sql(year), **tables))
        step(50)
        cursor.execute(_sql(_priority_sql(year), **tables))
        cursor.execute(_sql(_multi_sql(), **tables))
        cursor.execute(_sql(_cases_sql(), **tables))
        if analyse:
            cursor.execute("ANALYZE care_cc_wanted")
        step(70)
        _store(cursor, year, run.pk, stats)
        _drop(cursor)
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
