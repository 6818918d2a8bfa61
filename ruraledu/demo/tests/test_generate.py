import datetime as dt
import hashlib
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Avg, Count, Q, Sum
from stdnum.cn import ric

from ruraledu.activities.models import (
    CityTrip,
    DistrictRoleAssignment,
    InternPlacement,
    LessonObservation,
    PublicLesson,
    SchoolLink,
    Studio,
    TownPilot,
)
from ruraledu.core import crypto
from ruraledu.core.models import SchoolYear
from ruraledu.demo.generator import names
from ruraledu.demo.generator.runner import demo_generate
from ruraledu.demo.generator.writer import GeneratorError
from ruraledu.facilities.models import FacilityRecord, KindergartenClass, TitleAward, VillageRecord
from ruraledu.orgunits.models import OrgUnit, Pairing, School
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import Post, StaffPerson

RURAL = ("121", "122", "123", "210", "220")
REGISTRY = (
    OrgUnit, School, FacilityRecord, TitleAward, KindergartenClass, VillageRecord, Pairing,
    StaffPerson, Post, StudentPerson, Enrolment, CityTrip, LessonObservation, PublicLesson,
    SchoolLink, Studio, TownPilot, InternPlacement, DistrictRoleAssignment,
)  # fmt: skip


def counts():
    return [model.objects.count() for model in REGISTRY]


def fingerprint() -> str:
    """A digest of the generated data by natural keys (ids and ciphertexts left out)."""
    digest = hashlib.sha256()

    def feed(rows):
        for row in rows:
            digest.update(repr(row).encode())

    feed(OrgUnit.objects.order_by("code").values_list("code", "name", "kind", "path"))
    feed(
        School.objects.order_by("org_unit__code").values_list(
            "org_unit__code", "stage", "ownership", "is_inclusive", "urban_rural_code",
            "is_town_seat", "campus_type", "school_district__name", "education_group__name",
        )
    )  # fmt: skip
    feed(
        StudentPerson.objects.order_by("id_index").values_list(
            "id_index", "name", "sex", "birth_date", "village__code"
        )
    )
    feed(
        StaffPerson.objects.order_by("id_index").values_list(
            "id_index", "name", "sex", "birth_date"
        )
    )
    feed(
        Enrolment.objects.order_by("person__id_index", "year").values_list(
            "person__id_index", "school__org_unit__code", "campus__org_unit__code", "year", "grade",
            "class_name", "boarding", "distance_km", "transport", "lunch_needed", "lunch_served",
            "left_behind", "disability", "struggling", "aid_received", "mentor__id_index",
        )
    )  # fmt: skip
    feed(
        Post.objects.order_by("person__id_index", "year", "school__org_unit__code").values_list(
            "person__id_index", "school__org_unit__code", "year", "position", "degree", "title",
            "honour", "is_establishment", "health_check", "has_dormitory",
        )
    )  # fmt: skip
    fields = [f.name for f in FacilityRecord._meta.fields if f.name not in ("id", "school")]
    feed(
        FacilityRecord.objects.order_by("school__org_unit__code", "year").values_list(
            "school__org_unit__code", *fields
        )
    )
    feed(
        CityTrip.participants.through.objects.order_by(
            "studentperson__id_index", "citytrip__held_on"
        ).values_list("studentperson__id_index", "citytrip__held_on")
    )
    feed(counts())
    return digest.hexdigest()


def test_check_digits_agree_with_python_stdnum():
    numbers = names.IdNumbers("370302")
    for day in range(0, 3000, 37):
        birth = dt.date(1990, 1, 1) + dt.timedelta(days=day)
        for sex in "12":
            number = numbers.issue(birth, sex)
            assert ric.validate(number) == number
            assert ric.get_birth_date(number) == birth
            assert int(number[16]) % 2 == (1 if sex == "1" else 0)


def test_district_scale_year_has_the_expected_size_valid_ids_and_mix(db):
    # when
    report = demo_generate(scale="district", years=[2025], seed=1)

    # then: the size of the demo district
    sites = School.objects.filter(org_unit__path__startswith="370302/")
    assert 140 <= sites.count() <= 175
    assert sites.filter(campus_type="teaching_point").count() >= 5
    assert sites.filter(stage="514").count() == 1 and sites.filter(stage="312").count() == 1
    assert 60_000 <= Enrolment.objects.filter(year=2025).count() <= 80_000
    assert 5_500 <= Post.objects.filter(year=2025).count() <= 7_500
    assert report.rows > 150_000
    towns = OrgUnit.objects.filter(parent__code="370302", kind="town")
    for town in towns:
        assert 15 <= town.children.filter(kind="village").count() <= 25
    assert all("示例" in name for name in sites.values_list("org_unit__name", flat=True))
    # every school and campus has its facility record; every kindergarten its classes
    assert FacilityRecord.objects.filter(year=2025).count() == sites.count()
    kindergartens = sites.filter(stage="111")
    assert (
        KindergartenClass.objects.filter(year=2025).values("school").distinct().count()
        == kindergartens.count()
    )
    # rural and urban, public and private
    rural = sites.filter(urban_rural_code__in=RURAL)
    assert (
        90 <= rural.count() <= 130 and 30 <= sites.exclude(urban_rural_code__in=RURAL).count() <= 50
    )
    assert sites.filter(is_town_seat=True).count() == 3 * towns.count()
    assert kindergartens.filter(ownership="private", is_inclusive=True).exists()
    assert kindergartens.filter(ownership="private", is_inclusive=False).exists()

    # ID numbers: valid, fictional sequence block, matching the person, unique blind index
    for model in (StudentPerson, StaffPerson):
        assert model.objects.values("id_index").distinct().count() == model.objects.count()
        for person in model.objects.order_by("?")[:300]:
            number = person.id_number()
            assert number.startswith("370302") and len(number) == 18
            assert number[-1] == ric.calc_check_digit(number)
            assert ric.get_birth_date(number) == person.birth_date
            assert 500 <= int(number[14:17]) <= 899
            assert int(number[16]) % 2 == (1 if person.sex == "1" else 0)
            assert crypto.blind_index(number) == person.id_index
            assert person.id_hint == crypto.hint(number)
            if person.birth_date.year >= 1983:  # python-stdnum dates 370302 from 1983
                assert ric.is_valid(number)
            assert number.encode() not in bytes(person.id_cipher)

    # distributions
    enrolments = Enrolment.objects.filter(year=2025)
    rural_students = enrolments.filter(school__urban_rural_code__in=RURAL)
    left_behind = rural_students.filter(left_behind=True).count() / rural_students.count()
    assert 0.06 <= left_behind <= 0.10
    disabled = enrolments.filter(disability=True)
    assert 0.007 <= disabled.count() / enrolments.count() <= 0.02
    assert not disabled.filter(placement="").exists()
    assert 0.03 <= enrolments.filter(struggling=True).count() / enrolments.count() <= 0.08
    far = rural_students.filter(boarding=False, distance_km__gt=2)
    unserved = far.exclude(transport__in=("school_bus", "public_bus")).count()
    assert 0 < unserved < far.count() * 0.2
    teachers = Post.objects.filter(
        year=2025, is_full_time_teacher=True, school__stage__in=("211", "311", "312")
    )

    def bachelor_share(queryset):
        return queryset.filter(degree__in=("1", "2")).count() / queryset.count()

    urban_teachers = teachers.exclude(school__urban_rural_code__in=RURAL)
    assert bachelor_share(urban_teachers) > bachelor_share(
        teachers.filter(school__urban_rural_code__in=RURAL)
    )
    assert Post.objects.filter(year=2025, is_researcher=True).count() >= 20
    assert Post.objects.filter(year=2025, subject__in=("pe", "music", "art")).count() > 300
    assert 25 <= InternPlacement.objects.filter(year=2025).count() <= 35


def test_same_seed_gives_the_same_data_and_another_seed_does_not(db):
    # given
    demo_generate(scale="tiny", years=[2024, 2025], seed=7)
    first = fingerprint()

    # when
    demo_generate(scale="tiny", years=[2024, 2025], seed=7, replace=True)
    again = fingerprint()
    demo_generate(scale="tiny", years=[2024, 2025], seed=8, replace=True)
    other = fingerprint()

    # then
    assert again == first
    assert other != first


def test_students_move_up_a_grade_each_year_and_cohorts_come_and_go(db):
    # when
    demo_generate(scale="tiny", years=[2021, 2022, 2023], seed=3)

    # then
    history = defaultdict(dict)
    for person, year, grade, school, campus in Enrolment.objects.values_list(
        "person", "year", "grade", "school__org_unit__code", "campus"
    ):
        history[person][year] = (grade, school, campus)
    carried = moved_to_junior = 0
    for years in history.values():
        for year in (2021, 2022):
            if year in years and year + 1 in years:
                carried += 1
                (grade, school, campus), (next_grade, next_school, next_campus) = (
                    years[year],
                    years[year + 1],
                )
                assert next_grade == grade + 1
                moved_to_junior += grade == 6 and next_school != school
                if campus and next_grade > 3:
                    assert next_campus is None  # a 教学点 pupil goes on to the school itself
    assert carried > 1000 and moved_to_junior > 0
    graduates = {p for p, years in history.items() if years.get(2021, (0,))[0] == 9}
    assert graduates and not any(2022 in history[p] for p in graduates)
    newcomers = Enrolment.objects.filter(year=2023, grade=1)
    assert (
        newcomers.exists()
        and not Enrolment.objects.filter(person__in=newcomers.values("person"), year=2022).exists()
    )
    assert CityTrip.participants.through.objects.exists()
    # every school and campus has a facility record in every year
    sites = School.objects.count()
    assert list(FacilityRecord.objects.values_list("year").annotate(n=Count("id")).order_by("year")) == [
        (2021, sites), (2022, sites), (2023, sites)
    ]  # fmt: skip
    assert list(SchoolYear.objects.filter(is_current=True).values_list("year", flat=True)) == [2023]


def test_a_second_run_refuses_and_changes_nothing(db):
    # given
    call_command("generate_demo", scale="tiny", years="2025", seed=1)
    before = counts()

    # when / then
    with pytest.raises(CommandError, match="已有示例数据"):
        call_command("generate_demo", scale="tiny", years="2025", seed=1)
    assert counts() == before
    call_command("generate_demo", scale="tiny", years="2025", seed=1, replace=True)
    assert counts() == before


def test_trajectories_give_a_mix_of_met_and_unmet_targets(db):
    # when
    demo_generate(scale="tiny", years=[2021, 2022, 2023, 2024, 2025], seed=1)

    # then
    def rural_share(year, **flags):
        records = FacilityRecord.objects.filter(year=year, school__urban_rural_code__in=RURAL)
        return records.filter(**flags).count() / records.count()

    assert (
        rural_share(2021, moral_plan_on_file=True) < 0.5
        and rural_share(2023, moral_plan_on_file=True) == 1
    )  # met
    assert rural_share(2021, labour_site=True) < rural_share(2025, labour_site=True) < 1  # overdue
    all_water = FacilityRecord.objects.filter(year=2023).exclude(water_passed=True, hot_water=True)
    assert not all_water.exists()  # met in 2023
    lit = FacilityRecord.objects.filter(year=2025, school__urban_rural_code__in=RURAL).aggregate(
        ok=Sum("classrooms_lighting_ok"), all=Sum("classrooms")
    )
    assert 0.9 < lit["ok"] / lit["all"] < 1  # overdue (due 2025)
    vacancies = []
    for year in (2021, 2025):
        posts = FacilityRecord.objects.filter(
            year=year, school__urban_rural_code__in=RURAL, school__ownership="public"
        )
        tenured = Post.objects.filter(
            year=year, is_establishment=True, school__in=posts.values("school")
        )
        vacancies.append(posts.aggregate(n=Sum("establishment_posts"))["n"] - tenured.count())
    assert vacancies[0] > vacancies[1] >= 0
    pilots = dict(TownPilot.objects.values_list("town__name", "level"))
    assert (
        pilots["昆仑镇"] == pilots["双杨镇"] == "province"
        and pilots["寨里镇"] == pilots["龙泉镇"] == "city"
    )
    pairings = [
        Pairing.objects.filter(started_on__year__lte=year).count() for year in (2021, 2023, 2025)
    ]
    assert pairings[0] < pairings[1] < pairings[2]
    roles = (
        DistrictRoleAssignment.objects.filter(year=2025)
        .values("school_district")
        .annotate(
            directors=Count("id", filter=Q(role="director")),
            advisers=Count("id", filter=Q(role="adviser")),
        )
    )
    assert len(roles) == 9 and all(r["directors"] == 1 and r["advisers"] >= 1 for r in roles)
    observations = (
        LessonObservation.objects.filter(year=2025, semester=1)
        .values("observer", "school")
        .annotate(n=Count("id"))
    )
    assert Counter(o["n"] >= 8 for o in observations)[True] > len(observations) / 2
    ages = Post.objects.filter(year=2021, position="principal").values("school__urban_rural_code")
    rural_age = ages.filter(school__urban_rural_code__in=RURAL).aggregate(
        a=Avg("person__birth_date__year")
    )["a"]
    urban_age = ages.exclude(school__urban_rural_code__in=RURAL).aggregate(
        a=Avg("person__birth_date__year")
    )["a"]
    assert rural_age < urban_age  # rural principals born earlier: older


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite only")
def test_province_scale_is_refused_on_sqlite(db):
    with pytest.raises(GeneratorError, match="PostgreSQL"):
        demo_generate(scale="province")
    assert not School.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path needs PostgreSQL")
def test_province_scale_copies_district_by_district_on_postgresql(db):
    # when
    report = demo_generate(scale="province", districts=2, seed=1)

    # then
    assert report.years == [2025]
    assert OrgUnit.objects.filter(parent=None).count() == 2
    assert OrgUnit.objects.get(code="370303").name == "张店区（示例）"
    assert Enrolment.objects.filter(school__org_unit__path__startswith="370303/").count() > 50_000
    sample = StudentPerson.objects.filter(village__path__startswith="370303/").first()
    assert sample.id_number().startswith("370303") and ric.is_valid(sample.id_number())
    with connection.cursor() as cursor:  # sequences moved past the copied ids
        cursor.execute("SELECT nextval(pg_get_serial_sequence('students_enrolment', 'id'))")
        assert (
            cursor.fetchone()[0] > Enrolment.objects.order_by("-id").values_list("id", flat=True)[0]
        )
