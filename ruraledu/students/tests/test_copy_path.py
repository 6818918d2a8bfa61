"""On PostgreSQL roster imports write through COPY into staging tables: the same stored rows and
audit rows as the generic path (which SQLite takes), all-or-nothing, idempotent, scoped."""

from decimal import Decimal

import pytest
from django.db import connection

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.core import crypto
from ruraledu.spreadsheets import staging
from ruraledu.spreadsheets.importing import STUDENT_ELSEWHERE
from ruraledu.spreadsheets.services import ImportRejected, import_run
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.imports import ENROLMENT_FIELDS, PERSON_FIELDS
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import StaffPerson

from .test_roster_file import pupil, roster

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the COPY path is PostgreSQL's; SQLite takes the generic path tested elsewhere",
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def run(data, user, year=2024):
    return import_run(kind="students", data=data, filename="学生名册.xlsx", year=year, user=user)


def scenario(user) -> tuple[dict, list]:
    """Three imports: a new roster, a corrected one with a newcomer, the corrected one again.
    Returns the pupils' labels by ID number and the counts of each import."""
    numbers = {new_id(): label for label in "abcd"}
    a, b, c, d = numbers
    first = [
        pupil(证件号码=a),
        pupil(
            证件号码=b, 姓名="李小红", 性别="女", 年级=5, 住校="是", **{"家校距离（公里）": 3.25}
        ),
        pupil(证件号码=c, 姓名="王小刚", 班级="3.2", 上下学交通="校车"),
    ]
    corrected = [
        first[0],
        pupil(证件号码=b, 姓名="李晓红", 性别="女", 年级=6, 住校="是", **{"家校距离（公里）": 3.3}),
        {**first[2], "班级": "3.3"},
        pupil(证件号码=d, 姓名="赵小雨", 年级=1, 留守儿童="是"),
    ]
    counts = []
    for rows in (first, corrected, corrected):
        result = run(roster(rows), user)
        counts.append((result.created, result.updated, result.unchanged))
    return numbers, counts


def stored(numbers: dict) -> dict:
    """Each pupil's person and enrolment as stored, keyed by the scenario's label."""
    people = {crypto.blind_index(n): label for n, label in numbers.items()}
    found = {}
    for person in StudentPerson.objects.filter(id_index__in=people):
        enrolment = Enrolment.objects.get(person=person)
        found[people[person.id_index]] = (
            tuple(getattr(person, f) for f in PERSON_FIELDS),
            person.id_number(),
            person.id_hint == crypto.hint(person.id_number()),
            enrolment.year,
            tuple(getattr(enrolment, f) for f in ENROLMENT_FIELDS),
        )
    return {label: (number_free(values, numbers)) for label, values in found.items()}


def number_free(values: tuple, numbers: dict) -> tuple:
    """The clear ID number replaced by its label (each run imports its own pupils)."""
    return tuple(numbers.get(v, v) for v in values)


def audit_rows(since: int, numbers: dict) -> list:
    """The audit rows written after `since`, records named by label instead of id."""
    people = {crypto.blind_index(n): label for n, label in numbers.items()}
    label_of = {}
    for pk, index in StudentPerson.objects.filter(id_index__in=people).values_list(
        "pk", "id_index"
    ):
        label_of[("studentperson", pk)] = people[index]
        for enrolment in Enrolment.objects.filter(person_id=pk).values_list("pk", flat=True):
            label_of[("enrolment", enrolment)] = people[index]
    rows = []
    for event in AuditEvent.objects.filter(pk__gt=since).order_by("pk"):
        after = dict(event.after)
        if "created_records" in after:  # id ranges -> the labels they cover
            after["created_records"] = {
                model: sorted(
                    label_of[(model.split(".")[1].lower(), pk)]
                    for first, last in ranges
                    for pk in range(first, last + 1)
                )
                for model, ranges in after["created_records"].items()
            }
        model = event.content_type.model if event.content_type else ""
        rows.append(
            (
                event.action,
                model,
                label_of.get((model, int(event.object_id)), "") if event.object_id else "",
                event.summary,
                event.before,
                after,
            )
        )
    return rows


def last_audit() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_copy_path_stores_and_audits_exactly_as_the_generic_path(
    district_admin, school_a, monkeypatch
):
    since = last_audit()
    copied, copied_counts = scenario(district_admin)
    copied_rows, copied_audit = stored(copied), audit_rows(since, copied)

    monkeypatch.setattr(staging, "copy_available", lambda: False)
    since = last_audit()
    generic, generic_counts = scenario(district_admin)
    generic_rows, generic_audit = stored(generic), audit_rows(since, generic)

    assert copied_counts == generic_counts == [(3, 0, 0), (1, 2, 1), (0, 0, 4)]
    assert copied_rows == generic_rows
    assert copied_rows["b"][0][0] == "李晓红" and copied_rows["b"][4][4] == Decimal("3.3")
    assert copied_audit == generic_audit
    # a summary per import that changed something; one row per changed record
    actions = [(action, model, label) for action, model, label, *_ in copied_audit]
    assert actions.count((AuditAction.IMPORT, "", "")) == 2  # the third changed nothing
    assert sorted(a for a in actions if a[0] == AuditAction.UPDATE) == [
        (AuditAction.UPDATE, "enrolment", "b"),
        (AuditAction.UPDATE, "enrolment", "c"),
        (AuditAction.UPDATE, "studentperson", "b"),
    ]


def test_a_bad_row_writes_nothing_on_the_copy_path(district_admin, school_a):
    since = last_audit()
    data = roster([pupil(), pupil(学校代码="NOPE"), pupil()])
    with pytest.raises(ImportRejected) as refused:
        run(data, district_admin)
    assert [(e.row, e.column) for e in refused.value.errors] == [(4, "学校代码")]
    assert not StudentPerson.objects.exists() and not Enrolment.objects.exists()
    assert last_audit() == since


def test_a_row_the_database_refuses_mid_merge_undoes_the_whole_import(
    district_admin, school_a, monkeypatch
):
    """Persons are merged before enrolments: a failure in the enrolments' merge (here a
    grade below zero slipped past the checks) takes the merged persons back too."""
    from django.db import DataError, IntegrityError

    from ruraledu.spreadsheets import importing

    real = importing.insert_returning

    def spoiled(model, fields, rows, returning):
        if model is Enrolment:
            grade = list(fields).index("grade")
            rows = [(*r[:grade], -1, *r[grade + 1 :]) for r in rows]
        return real(model, fields, rows, returning)

    monkeypatch.setattr(importing, "insert_returning", spoiled)
    since = last_audit()
    with pytest.raises((IntegrityError, DataError)):
        run(roster([pupil(), pupil(姓名="李小红")]), district_admin)
    assert not StudentPerson.objects.exists() and not Enrolment.objects.exists()
    assert last_audit() == since


def test_re_importing_on_the_copy_path_changes_nothing(district_admin, school_a):
    data = roster([pupil(), pupil(姓名="李小红", 性别="女"), pupil(姓名="王小刚")])
    assert run(data, district_admin).created == 3
    before = list(Enrolment.objects.order_by("pk").values_list())
    people = list(StudentPerson.objects.order_by("pk").values_list("pk", "name", "id_index"))
    since = last_audit()
    result = run(data, district_admin)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Enrolment.objects.order_by("pk").values_list()) == before
    assert list(StudentPerson.objects.order_by("pk").values_list("pk", "name", "id_index")) == (
        people
    )
    assert last_audit() == since  # nothing changed, nothing to audit


def test_scope_checks_hold_on_the_copy_path(district_admin, school_clerk, school_a, school_b):
    elsewhere = new_id()
    run(roster([pupil(证件号码=elsewhere, 学校代码="SB")]), district_admin)
    with pytest.raises(ImportRejected) as refused:
        run(roster([pupil(), pupil(证件号码=elsewhere)]), school_clerk)
    assert [(e.row, e.message) for e in refused.value.errors] == [(4, STUDENT_ELSEWHERE)]
    assert Enrolment.objects.get().school == school_b


def _people(count: int) -> list[tuple]:
    numbers = [new_id() for _ in range(count)]
    return [
        (f"学生{i}", "1", "ric", crypto.encrypt(n), crypto.blind_index(n), crypto.hint(n))
        for i, n in enumerate(numbers)
    ]


PEOPLE = ("name", "sex", "id_kind", "id_cipher", "id_index", "id_hint")


@pytest.mark.django_db
def test_new_rows_are_copied_straight_in_with_ids_in_row_order():
    from ruraledu.indicators.changes import covering
    from ruraledu.indicators.models import ChangeMark

    rows = _people(5)
    with covering(StudentPerson):  # the writer accounts for this write itself
        inserted = staging.insert_returning(StudentPerson, PEOPLE, rows, ("id_index", "pk"))
    assert [key for key, _ in inserted] == [row[4] for row in rows]
    pks = [pk for _, pk in inserted]
    assert pks == sorted(pks) and len(set(pks)) == 5
    stored = dict(StudentPerson.objects.filter(pk__in=pks).values_list("id_index", "name"))
    assert stored == {row[4]: row[0] for row in rows}
    assert not ChangeMark.objects.filter(table=StudentPerson._meta.db_table).exists()

    # a COPY passes no connection wrapper: one the writer does not cover still marks the table
    staging.insert_returning(StudentPerson, PEOPLE, _people(2), ("pk",))
    marks = ChangeMark.objects.filter(table=StudentPerson._meta.db_table)
    assert list(marks.values_list("year", "unit_id")) == [(None, None)]


@pytest.mark.django_db
@pytest.mark.parametrize("model", [StudentPerson, StaffPerson])
def test_the_blind_index_has_no_pattern_index(model):
    """Only whole-value look-ups of the hashed ID: no varchar_pattern_ops index to keep up."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        indexes = dict(cursor.fetchall())
    assert f"{table}_id_index_key" in indexes
    assert not [name for name, sql in indexes.items() if "pattern_ops" in sql]


def test_a_value_out_of_its_column_s_range_is_refused_not_wrapped(district_admin, school_a):
    """Rows travel as text: PostgreSQL checks each value. Binary COPY would store 70,000 in a
    smallint as 4,464 without a word."""
    from django.db import DataError, transaction

    run(roster([pupil()]), district_admin)
    enrolment = Enrolment.objects.get()
    with pytest.raises(DataError), transaction.atomic():
        staging.update_rows(Enrolment, ("year",), [(70000, enrolment.pk)])
    enrolment.refresh_from_db()
    assert enrolment.year == 2024
