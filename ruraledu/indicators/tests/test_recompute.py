from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.engine import REGISTRY, Tree
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import compute_year, recompute
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory, SchoolFactory
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson


def add_school(town, code, urban_rural="220", students=0, **facility):
    school = SchoolFactory(org_unit__code=code, org_unit__parent=town, urban_rural_code=urban_rural)
    FacilityRecord.objects.create(school=school, year=2024, **facility)
    for i in range(students):
        person = StudentPerson(name=f"{code}-{i}", sex="1")
        person.set_id_number(new_id())
        person.save()
        Enrolment.objects.create(
            person=person,
            school=school,
            year=2024,
            grade=1 + i % 6,
            mentor=None,
            lunch_needed=i % 2 == 0,
            lunch_served=i % 4 == 0,
        )
    return school


def test_recomputing_unchanged_data_changes_no_stored_value(town_a, town_b):
    add_school(
        town_a, "A1", students=3, sanitary_toilets=True, classrooms=4, classrooms_lighting_ok=3
    )
    add_school(town_b, "B1", students=2, classrooms=2)
    first = recompute(years=[2024])
    stamps = dict(IndicatorValue.objects.values_list("pk", "computed_at"))
    second = recompute(years=[2024])
    assert first.created > 0
    assert (second.created, second.updated, second.deleted) == (0, 0, 0)
    assert second.unchanged == first.created
    assert dict(IndicatorValue.objects.values_list("pk", "computed_at")) == stamps


def test_a_change_in_the_registry_updates_only_what_depends_on_it(town_a):
    school = add_school(town_a, "A1", students=1, sanitary_toilets=False)
    recompute(years=[2024])
    FacilityRecord.objects.filter(school=school).update(sanitary_toilets=True)
    stats = recompute(years=[2024])
    toilet = IndicatorValue.objects.get(
        code="rural_sanitary_toilet_rate", unit=school.org_unit, year=2024
    )
    assert toilet.value == 100.0
    assert 0 < stats.updated < 10


def test_stored_values_match_plain_sql(town_a, town_b, district):
    add_school(town_a, "A1", sanitary_toilets=True, classrooms=5, classrooms_lighting_ok=5)
    add_school(town_a, "A2", sanitary_toilets=False, classrooms=7, classrooms_lighting_ok=2)
    add_school(
        town_b,
        "B1",
        urban_rural="111",
        sanitary_toilets=False,
        classrooms=9,
        classrooms_lighting_ok=1,
    )
    recompute(years=[2024])
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT SUM(CASE WHEN f.sanitary_toilets THEN 1 ELSE 0 END), COUNT(*),
                      SUM(f.classrooms_lighting_ok), SUM(f.classrooms)
               FROM facilities_facilityrecord f JOIN orgunits_school s ON s.org_unit_id = f.school_id
               WHERE f.year = 2024 AND s.urban_rural_code IN ('121','122','123','210','220')"""
        )
        toilets, schools, lit, rooms = cursor.fetchone()
    stored = IndicatorValue.objects.get(code="rural_sanitary_toilet_rate", unit=district, year=2024)
    assert (stored.numerator, stored.denominator, stored.value) == (
        toilets,
        schools,
        toilets / schools * 100,
    )
    lighting = IndicatorValue.objects.get(
        code="rural_classroom_lighting_rate", unit=district, year=2024
    )
    assert (lighting.numerator, lighting.denominator) == (lit, rooms) == (7, 12)


def test_the_recompute_query_count_does_not_grow_with_schools(town_a, town_b):
    add_school(town_a, "A1", students=1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compute_year(2024, list(REGISTRY.values()), Tree())
        return len(captured)

    before = queries()
    for i in range(8):
        add_school(town_b if i % 2 else town_a, f"X{i}", students=1)
    assert queries() == before


SUMMABLE = [
    code
    for code, indicator in REGISTRY.items()
    if type(indicator).values is REGISTRY["rural_sanitary_toilet_rate"].__class__.values
]


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.sampled_from(["220", "121", "111"]),
            st.booleans(),
            st.integers(0, 3),
            st.integers(0, 6),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_towns_add_up_to_the_district(district, schools):
    # given random schools spread over three towns
    with transaction.atomic():
        towns = [
            OrgUnitFactory(code=f"H{i}", kind=OrgUnitKind.TOWN, parent=district) for i in range(3)
        ]
        for i, (in_first, code, toilets, students, rooms) in enumerate(schools):
            add_school(
                towns[i % 3] if in_first else towns[(i + 1) % 3],
                f"P{i}",
                urban_rural=code,
                students=students,
                sanitary_toilets=toilets,
                classrooms=rooms,
                classrooms_lighting_ok=rooms // 2,
            )
        # when every summable indicator is computed
        rows, _ = compute_year(2024, [REGISTRY[c] for c in SUMMABLE], Tree())
        # then the towns' numerators and denominators add up to the district's
        for code in SUMMABLE:
            if (code, district.pk) not in rows:
                continue
            _, numerator, denominator, _ = rows[(code, district.pk)]
            parts = [rows[(code, t.pk)] for t in towns if (code, t.pk) in rows]
            assert sum(p[1] for p in parts) == numerator, code
            if denominator is not None:
                assert sum(p[2] for p in parts) == denominator, code
        transaction.set_rollback(True)


def test_the_recompute_command_names_the_school_years_in_words(town_a):
    add_school(town_a, "A1", students=2, classrooms=2)
    out = StringIO()
    call_command("recompute", "--year", "2024", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith("指标计算完成：2024—2025学年：新增 ")
    assert last.endswith(" 秒。") and "[" not in last
