"""Incremental recompute stores exactly what a full recompute stores, whatever was edited.

Random edits — inserts, updates (moving a record to another school or class too) and deletes
of enrolments, facility records and staff posts, in random schools and years, written the ways
the platform writes: an import's bulk write with its change record, a single record saved
(an edit form), a bulk statement nobody described — then the incremental recompute; a full
recompute afterwards must find nothing to change.
"""

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.changes import changing
from ruraledu.indicators.models import ChangeMark, IndicatorValue
from ruraledu.indicators.services import recompute, recompute_changes
from ruraledu.orgunits.choices import OrgUnitKind, SchoolStage
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.choices import Placement
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.choices import Degree
from ruraledu.workforce.models import Post

from ._coverage_data import campus, school, staff, town, unit

YEARS = (2023, 2024)


def stored() -> dict:
    return {
        (code, unit_id, year): (value, numerator, denominator, details)
        for code, unit_id, year, value, numerator, denominator, details in (
            IndicatorValue.objects.values_list(
                "code", "unit_id", "year", "value", "numerator", "denominator", "details"
            )
        )
    }


def pupil(school_, year, grade, **flags) -> Enrolment:
    person = StudentPerson(name="学生", sex="1")
    person.set_id_number(new_id())
    person.save()
    return Enrolment(person=person, school=school_, year=year, grade=grade, **flags)


def build():
    district = unit("D", OrgUnitKind.DISTRICT, None)
    town_a, town_b = town("TA", district), town("TB", district)
    a1 = school("A1", town_a)
    schools = [
        a1,
        campus("A1C", a1),
        school("A2", town_a, stage=SchoolStage.JUNIOR),
        school("B1", town_b, ur="111"),
    ]
    for year in YEARS:
        for i, s in enumerate(schools):
            FacilityRecord.objects.create(
                school=s, year=year, classrooms=3 + i, sanitary_toilets=i % 2 == 0
            )
            for grade in (1, 3):
                e = pupil(a1 if s.org_unit.kind == OrgUnitKind.CAMPUS else s, year, grade)
                e.class_name = "1班"  # classes feed the class-size and rooms rules
                e.campus = s if s.org_unit.kind == OrgUnitKind.CAMPUS else None
                e.boarding = grade == 3
                e.save()
            Post.objects.create(person=staff(), school=s, year=year, degree=Degree.BACHELOR)
    return schools


edits = st.lists(
    st.tuples(
        st.sampled_from(["enrolment", "facility", "post"]),
        st.sampled_from(["insert", "update", "move", "delete"]),
        st.integers(0, 3),  # school
        st.sampled_from(YEARS),
        st.sampled_from(["import", "save", "bulk"]),  # how the write is made
        st.integers(1, 6),  # a value
    ),
    min_size=1,
    max_size=5,
)


def apply(schools, source, op, index, year, way, n) -> None:
    here, there = schools[index], schools[(index + n) % len(schools)]
    if here.org_unit.kind == OrgUnitKind.CAMPUS:
        here = schools[0]  # enrolments and posts of a campus are made at its school below
    model = {"enrolment": Enrolment, "facility": FacilityRecord, "post": Post}[source]
    records = model.objects.filter(year=year, school=here)
    record = records.first()
    if op == "insert" or record is None:
        if source == "enrolment":
            record = pupil(here, year, n, left_behind=n % 2 == 0)
        elif source == "post":
            record = Post(person=staff(), school=here, year=year, degree=Degree.COLLEGE)
        elif not FacilityRecord.objects.filter(school=there, year=year).exists():
            record = FacilityRecord(school=there, year=year, classrooms=n)
        else:
            return
        write(model, year, [record.school_id], way, lambda: save_or_bulk(record, way))
        return
    if op == "delete":
        write(model, year, [here.pk], way, records.filter(pk=record.pk).delete)
        return
    changes = {
        "enrolment": {
            "grade": n,
            "boarding": n % 2 == 1,
            "class_name": f"{n % 3}班" if n % 3 else "",
            # 送教上门 pupils feed the home-teaching rate through its own kept query
            "placement": Placement.HOME if n > 4 else Placement.NONE,
        },
        "facility": {"classrooms": n, "sanitary_toilets": n % 2 == 1},
        "post": {"degree": Degree.COLLEGE if n % 2 else Degree.POSTGRADUATE},
    }[source]
    if op == "move":
        changes = {"school": there if source != "enrolment" else schools[(index + n) % 2 * 2]}
        if source == "facility" and FacilityRecord.objects.filter(school=there, year=year):
            return
    for field, value in changes.items():
        setattr(record, field, value)
    units = [here.pk, record.school_id]
    if way == "save":
        record.save()
    else:
        write(
            model,
            year,
            units,
            way,
            lambda: model.objects.filter(pk=record.pk).update(**changes),
        )


def save_or_bulk(record, way) -> None:
    if way == "save":
        record.save()
    else:
        type(record).objects.bulk_create([record])


def write(model, year, units, way, run) -> None:
    if way == "import":  # an importer names what it wrote
        with changing(model, year=year, units=units):
            run()
    else:
        run()


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=edits)
def test_incremental_recompute_stores_what_a_full_recompute_stores(db, edits):
    if not FacilityRecord.objects.exists():
        build()
        recompute()
    assert not ChangeMark.objects.exists()
    with transaction.atomic():
        for edit in edits:
            apply(list_schools(), *edit)
        recompute_changes()
        incremental = stored()
        assert not ChangeMark.objects.exists()
        full = recompute(years=list(YEARS))
        assert stored() == incremental
        assert full.changed == 0
        transaction.set_rollback(True)


def list_schools():
    from ruraledu.orgunits.models import School

    return list(School.objects.select_related("org_unit").order_by("org_unit__code"))


def test_a_roster_import_records_its_year_and_school_and_is_recomputed_alone(
    school_a, school_b, school_clerk, settings, tmp_path
):
    from ruraledu.indicators.jobs import recompute_job_run
    from ruraledu.indicators.models import RecomputeJob
    from ruraledu.spreadsheets.services import import_run
    from ruraledu.students.tests.test_roster_file import pupil as row
    from ruraledu.students.tests.test_roster_file import roster

    settings.MEDIA_ROOT = tmp_path / "files"
    for s in (school_a, school_b):
        FacilityRecord.objects.create(school=s, year=2024, classrooms=4)
    recompute()
    data = roster([row(), row(年级=5, 住校="是"), row(证件号码=new_id(), 姓名="李小红")])
    import_run(kind="students", data=data, filename="学生名册.xlsx", year=2024, user=school_clerk)

    # the import's own record, no whole-table mark for its bulk writes
    assert set(ChangeMark.objects.values_list("table", "year", "unit_id")) == {
        ("students_enrolment", 2024, school_a.pk)
    }
    # the recompute the import queued is the incremental one
    job = RecomputeJob.objects.get()
    assert job.incremental
    job = recompute_job_run(job_id=job.pk)
    assert job.status == RecomputeJob.Status.DONE
    assert job.message.startswith("2024—2025学年：新增 ")
    assert not ChangeMark.objects.exists()
    # with nothing changed since, an incremental recompute says so in words
    again = recompute_job_run(job_id=RecomputeJob.objects.create(incremental=True).pk)
    assert again.message.startswith("数据未变动，没有需要重新计算的学年：新增 0，更新 0")
    before = stored()
    assert recompute().changed == 0
    assert stored() == before


def test_a_roster_change_patches_the_roster_query_and_stores_its_indicators_up_the_branch(db):
    from ruraledu.indicators.definitions.evaluation import ROSTER
    from ruraledu.indicators.incremental import plan_changes
    from ruraledu.indicators.models import ScanCache
    from ruraledu.indicators.services import years_with_data

    # given a district recomputed in full, then one class renamed at school A2 by an import
    schools = build()
    recompute()
    a2 = schools[2]
    enrolment = Enrolment.objects.filter(school=a2, year=2024).first()
    with changing(Enrolment, year=2024, units=[a2.pk]):
        Enrolment.objects.filter(pk=enrolment.pk).update(class_name="2班")

    # when the changes are planned and recomputed
    marks = list(ChangeMark.objects.values_list("table", "year", "unit_id"))
    plan = plan_changes(marks, years_with_data()).years[2024]
    recompute_changes()

    # then the roster query is read again for A2 only, the class-size rate (its own
    # values(), declared local) is stored up A2's branch, and the kept rows are a fresh read
    assert plan.patch["roster_groups"] == {a2.pk}
    assert "evaluation_class_size_rate" in plan.branch
    assert "evaluation_class_size_rate" not in plan.full
    kept = ScanCache.objects.get(source="roster_groups", year=2024).rows
    assert kept == ROSTER.rows(2024)
    assert dict(kept)[a2.pk][:2] == [2, 2]  # two classes at A2 now, both within the limit
    before = stored()
    assert recompute().changed == 0
    assert stored() == before


def test_scans_kept_by_other_definitions_code_are_read_anew_not_patched(db, monkeypatch):
    from ruraledu.indicators import services
    from ruraledu.indicators.models import ScanCache

    # given a district recomputed in full by an older version of the indicator definitions
    schools = build()
    monkeypatch.setattr(services, "definitions_version", lambda: "older")
    recompute()
    # whose kept enrolment counts are not what the records say (as if counted otherwise)
    kept = ScanCache.objects.get(source="enrolment", year=2024)
    kept.rows = [[row[0], row[1], *([999.0] * (len(row) - 2))] for row in kept.rows]
    kept.save()
    monkeypatch.undo()

    # when this version recomputes after one school's roster changed
    a2 = schools[2]
    with changing(Enrolment, year=2024, units=[a2.pk]):
        Enrolment.objects.filter(school=a2, year=2024).update(boarding=True)
    recompute_changes()

    # then nothing of the older rows was used: a full recompute finds nothing to change
    before = stored()
    assert recompute().changed == 0
    assert stored() == before
    layout = ScanCache.objects.get(source="enrolment", year=2024).layout
    assert layout[-1] == f"code {services.definitions_version()}"


def test_a_full_recompute_rewrites_only_the_kept_scans_whose_rows_changed(db):
    from ruraledu.indicators.models import ScanCache

    # given a district recomputed in full
    schools = build()
    recompute()
    kept = dict(ScanCache.objects.filter(year=2024).values_list("source", "pk"))
    assert "enrolment" in kept and len(kept) > 1
    # when nothing changed, a full recompute leaves every kept scan as it was
    recompute()
    assert dict(ScanCache.objects.filter(year=2024).values_list("source", "pk")) == kept
    # and after a roster change, it rewrites the scans that read the roster, and those only
    gone = Enrolment.objects.filter(school=schools[2], year=2024).first()
    Enrolment.objects.filter(pk=gone.pk).delete()
    recompute()
    now = dict(ScanCache.objects.filter(year=2024).values_list("source", "pk"))
    rewritten = {source for source, pk in now.items() if kept[source] != pk}
    assert "enrolment" in rewritten and rewritten < set(kept)
    enrolment = ScanCache.objects.get(source="enrolment", year=2024)
    assert enrolment.digest == services_digest(enrolment.layout, enrolment.rows)


def services_digest(layout, rows):
    from ruraledu.indicators.services import _scan_digest

    return _scan_digest(layout, rows)
