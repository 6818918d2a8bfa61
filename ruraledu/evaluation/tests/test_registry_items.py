"""The evaluation items computed from the new registry fields, each on hand-made records whose
figures are worked out in the comments (year 2024 unless stated).

D → TA (SA), TB (SB)."""

from decimal import Decimal

import pytest

from ruraledu.evaluation.models import MonitoringResult
from ruraledu.facilities.models import KindergartenClass
from ruraledu.indicators.engine import REGISTRY, Tree
from ruraledu.indicators.services import compute_year
from ruraledu.indicators.tests._people_data import (
    absent,
    at,
    campus,
    check,
    details,
    enrol,
    facility,
    post,
    pupils,
    school,
    staff,
    teacher,
)
from ruraledu.orgunits.choices import Ownership, SchoolStage
from ruraledu.workforce.choices import Honour, Position


def compute(*codes: str, year: int = 2024) -> dict:
    rows, _ = compute_year(year, [REGISTRY[c] for c in codes], Tree())
    return rows


def classes(at_school, n: int, grade: int = 1) -> None:
    """`n` classes of one pupil each."""
    for i in range(n):
        pupils(at_school, 1, grade=grade, class_name=f"{i + 1}班")


def test_music_and_art_rooms_one_each_per_12_classes_with_their_areas(
    district, town_a, town_b, school_a
):
    # SA: 13 classes → 2 rooms each; music 2 rooms 192 ㎡ (= 2 × 96), art 2 rooms 179.99 ㎡
    # (< 2 × 90): fails on the art area. SB: 12 classes → 1 each; 96 ㎡ and 90 ㎡: passes.
    # SC: 3 classes, no rooms of its own, its 教学点 holds 1 + 1 of 100 and 95 ㎡: passes.
    # SD: 1 class, 1 music room, no art room: fails, 1 art room short.
    code = "evaluation_music_art_rooms_rate"
    classes(school_a, 13)
    facility(school_a, music_rooms=2, music_room_area=192, art_rooms=2, art_room_area="179.99")
    sb = school(town_b, "SB")
    classes(sb, 12)
    facility(sb, music_rooms=1, music_room_area=96, art_rooms=1, art_room_area=90)
    sc = school(town_b, "SC")
    classes(sc, 3)
    facility(sc)
    point = campus(sc, "SC1")
    facility(point, music_rooms=1, music_room_area=100, art_rooms=1, art_room_area=95)
    sd = school(town_b, "SD")
    classes(sd, 1)
    facility(sd, music_rooms=1, music_room_area=100)
    rows = compute(code)
    assert at(rows, code, school_a) == (0.0, 0.0, 1.0)
    assert details(rows, code, school_a) == {
        "classes": 13,
        "needed": 2,
        "music": 2,
        "music_area": 192.0,
        "art": 2,
        "art_area": 179.99,
        "music_short": 0,
        "art_short": 0,
        "mark": "fail",
    }
    assert at(rows, code, sb) == (100.0, 1.0, 1.0)
    assert at(rows, code, sc) == (100.0, 1.0, 1.0)
    assert details(rows, code, sc)["music"] == 1  # the 教学点's rooms count for SC
    assert details(rows, code, sd)["art_short"] == 1
    check(rows, code, town_b, 200 / 3, 2.0, 3.0)
    check(rows, code, district, 50.0, 2.0, 4.0)
    assert details(rows, code, district) == {"music_short": 0, "art_short": 1}


def test_small_village_schools_are_funded_as_100_pupils_and_special_schools_at_6000(
    district, town_a, town_b, school_a
):
    # SA (rural primary, 99 pupils) funded as 100: passes; its 教学点 (20 pupils, counted by
    # campus) funded as 100: passes. SB (rural primary, 99) funded as 99: fails.
    # S1 (special, 10 pupils, 59 999 yuan = 5 999.9 a pupil): fails; S2 (special, 60 000): passes.
    # Not judged: SC (rural primary with 100 pupils), SU (urban primary with 50).
    code = "evaluation_public_funds_rate"
    pupils(school_a, 99, grade=2)
    facility(school_a, funded_pupils=100, public_funds=72000)
    point = campus(school_a, "SA1")
    for e in pupils(school_a, 20, grade=1):
        e.campus = point
        e.save()
    facility(point, funded_pupils=100, public_funds=72000)
    sb = school(town_b, "SB")
    pupils(sb, 99)
    facility(sb, funded_pupils=99, public_funds=71280)
    s1 = school(town_b, "S1", stage=SchoolStage.SPECIAL)
    pupils(s1, 10)
    facility(s1, funded_pupils=10, public_funds=59999)
    s2 = school(town_b, "S2", stage=SchoolStage.SPECIAL)
    pupils(s2, 10)
    facility(s2, funded_pupils=10, public_funds=60000)
    sc = school(town_b, "SC")
    pupils(sc, 100)
    facility(sc, funded_pupils=100, public_funds=72000)
    su = school(town_b, "SU", urban_rural="111")
    pupils(su, 50)
    facility(su, funded_pupils=50, public_funds=36000)
    rows = compute(code)
    assert at(rows, code, point) == (100.0, 1.0, 1.0)
    assert details(rows, code, point)["pupils"] == 20
    assert at(rows, code, school_a) == (100.0, 2.0, 2.0)  # itself and its 教学点
    assert details(rows, code, sb)["mark"] == "fail"
    assert details(rows, code, s1)["per_pupil"] == 5999.9
    assert at(rows, code, s2) == (100.0, 1.0, 1.0)
    assert absent(rows, code, sc) and absent(rows, code, su)
    check(rows, code, district, 60.0, 3.0, 5.0)


def test_training_hours_and_certificates_of_full_time_teachers(district, town_a, school_a):
    # SA: 360 h with a certificate, 359 h with one, 500 h without; a non-teaching staff member
    # with 0 h and no certificate is not counted. 360 学时: 2/3; 持证: 2/3.
    teacher(school_a, training_hours_5y=360, has_certificate=True)
    teacher(school_a, training_hours_5y=359, has_certificate=True)
    teacher(school_a, training_hours_5y=500)
    teacher(school_a, position=Position.STAFF, is_full_time_teacher=False)
    rows = compute("evaluation_training_hours_rate", "evaluation_certificate_rate")
    check(rows, "evaluation_training_hours_rate", district, 200 / 3, 2.0, 3.0)
    check(rows, "evaluation_certificate_rate", school_a, 200 / 3, 2.0, 3.0)


def test_kindergarten_principals_and_teachers_hold_certificates(district, town_a):
    # K: the principal (not a full-time teacher) with a certificate, one teacher with, one
    # without; the cook is not counted: 2/3
    kg = school(town_a, "K", stage=SchoolStage.KINDERGARTEN)
    teacher(kg, position=Position.KG_PRINCIPAL, is_full_time_teacher=False, has_certificate=True)
    teacher(kg, has_certificate=True)
    teacher(kg)
    teacher(kg, position=Position.STAFF, is_full_time_teacher=False)
    rows = compute("xqpjph_q3")
    check(rows, "xqpjph_q3", kg, 200 / 3, 2.0, 3.0)


def _career(at_school, years, *, honour="", **last):
    """A teacher posted at `at_school` in each of `years`; `last` overrides the final post."""
    person = staff()
    for y in years[:-1]:
        post(person, at_school, year=y, honour=honour)
    return person, post(person, last.pop("school", at_school), year=years[-1], **last)


def test_rotation_counts_teachers_eligible_last_year_at_the_school_they_left(
    district, town_a, town_b, school_a
):
    # eligible for 2024: six years (2018–2023) at the same school by the end of 2023.
    # T1: SA 2018–2023, 2024 at SB marked 交流轮岗: rotated from SA.
    # T2: SA 2018–2023, stays at SA in 2024: eligible, not rotated.
    # T3: SA 2019–2023 (5 years), 2024 at SB marked: not eligible, not counted.
    # T4 (骨干): SB 2018–2023, 2024 at SA marked: rotated from SB, a 骨干.
    # T5: SA 2018–2023, no post in 2024 (retired): not counted.
    sb = school(town_b, "SB")
    marked = {"rotated": True}
    _career(school_a, [*range(2018, 2024), 2024], school=sb, **marked)
    _career(school_a, [*range(2018, 2024), 2024])
    _career(school_a, [*range(2019, 2024), 2024], school=sb, **marked)
    _career(sb, [*range(2018, 2024), 2024], honour=Honour.BACKBONE, school=school_a, **marked)
    _career(school_a, list(range(2018, 2024)))
    rows = compute("evaluation_rotation_rate", "evaluation_rotation_backbone_rate")
    check(rows, "evaluation_rotation_rate", school_a, 50.0, 1.0, 2.0)
    check(rows, "evaluation_rotation_rate", sb, 100.0, 1.0, 1.0)
    check(rows, "evaluation_rotation_rate", district, 200 / 3, 2.0, 3.0)
    # 骨干 among those who rotated: T4 of T1 and T4
    check(rows, "evaluation_rotation_backbone_rate", district, 50.0, 1.0, 2.0)
    check(rows, "evaluation_rotation_backbone_rate", town_a, 0.0, 0.0, 1.0)


def test_rotation_reckons_a_teacher_of_two_schools_once_at_the_school_held_longest(
    district, town_a, town_b, school_a
):
    # T: SA 2018–2023, and in 2023 also a post at SB (stored after): eligible at SA, once;
    # stays at SA in 2024, not rotated. The SB post (one year) stood for the teacher before,
    # so T was not counted at all.
    # U: SB 2018–2023 and SA 2018–2023 both (six years at each): one teacher, counted once;
    # 2024 at SA marked 交流轮岗 (rotated from SB, the later-stored run).
    sb = school(town_b, "SB")
    person, _ = _career(school_a, list(range(2018, 2024)))
    post(person, sb, year=2023)
    post(person, school_a, year=2024)
    both = staff()
    for y in range(2018, 2024):
        post(both, school_a, year=y)
        post(both, sb, year=y)
    post(both, school_a, year=2024, rotated=True)
    rows = compute("evaluation_rotation_rate")
    check(rows, "evaluation_rotation_rate", school_a, 0.0, 0.0, 1.0)
    check(rows, "evaluation_rotation_rate", sb, 100.0, 1.0, 1.0)
    check(rows, "evaluation_rotation_rate", district, 50.0, 1.0, 2.0)


def test_nearby_admission_in_urban_and_town_public_day_schools(district, town_a, town_b):
    # U (primary, 111): grade 1 three nearby, one not → 75 %; grade 2 pupils are not entrants.
    # J (junior, 121): grade 7 nineteen nearby, one not → 95 %.
    # Not counted: B (111, boarding), R (220, rural), P (111, private).
    u = school(town_a, "U", urban_rural="111")
    pupils(u, 3, grade=1, nearby_admission=True)
    pupils(u, 1, grade=1)
    pupils(u, 5, grade=2)
    j = school(town_b, "J", stage=SchoolStage.JUNIOR, urban_rural="121")
    pupils(j, 19, grade=7, nearby_admission=True)
    pupils(j, 1, grade=7)
    b = school(town_b, "B", urban_rural="111")
    facility(b, boarding=True)
    pupils(b, 4, grade=1)
    for code, urban_rural, ownership in (("R", "220", "public"), ("P", "111", Ownership.PRIVATE)):
        pupils(school(town_b, code, urban_rural=urban_rural, ownership=ownership), 4, grade=1)
    rows = compute("evaluation_nearby_primary_rate", "evaluation_nearby_junior_rate")
    check(rows, "evaluation_nearby_primary_rate", district, 75.0, 3.0, 4.0)
    check(rows, "evaluation_nearby_junior_rate", district, 95.0, 19.0, 20.0)


def test_migrant_children_at_public_or_purchased_places(district, town_a, school_a):
    # 17 at SA (public), 1 at M1 (private, 普惠 = purchased service), 2 at M2 (private): 18/20
    pupils(school_a, 17, grade=3, migrant=True)
    pupils(school_a, 30, grade=3)
    m1 = school(town_a, "M1", ownership=Ownership.PRIVATE)
    m1.is_inclusive = True
    m1.save()
    pupils(m1, 1, grade=3, migrant=True)
    pupils(school(town_a, "M2", ownership=Ownership.PRIVATE), 2, grade=3, migrant=True)
    rows = compute("evaluation_migrant_public_rate")
    check(rows, "evaluation_migrant_public_rate", district, 90.0, 18.0, 20.0)


def test_junior_retention_follows_the_grade_7_cohort_of_two_years_before(district, town_a):
    # J's grade 7 of 2022: four pupils. In 2024 two are in grade 9 at J, one repeats grade 8
    # at K, one has left: 3/4. A pupil who joined J in 2023 is not in the cohort.
    j = school(town_a, "J", stage=SchoolStage.JUNIOR)
    k = school(town_a, "K", stage=SchoolStage.JUNIOR)
    cohort = pupils(j, 4, year=2022, grade=7)
    enrol(cohort[0].person, j, year=2024, grade=9)
    enrol(cohort[1].person, j, year=2024, grade=9)
    enrol(cohort[2].person, k, year=2024, grade=8)
    late = pupils(j, 1, year=2023, grade=8)[0]
    enrol(late.person, j, year=2024, grade=9)
    rows = compute("evaluation_junior_retention_rate", year=2024)
    check(rows, "evaluation_junior_retention_rate", j, 75.0, 3.0, 4.0)
    assert absent(rows, "evaluation_junior_retention_rate", k)
    check(rows, "evaluation_junior_retention_rate", district, 75.0, 3.0, 4.0)
    # without a 2021 cohort there is no figure for 2023
    code = "evaluation_junior_retention_rate"
    assert absent(compute(code, year=2023), code, district)


def test_training_funds_at_least_5_percent_of_public_funds(district, town_a, school_a):
    # SA 10 000 / 500 (exactly 5 %): passes; SB 10 000 / 499.99: fails; SZ without funds and
    # SA's 教学点 are not counted: 1/2
    code = "evaluation_training_funds_rate"
    facility(school_a, public_funds=10000, training_funds=500)
    facility(campus(school_a, "SA1"), public_funds=10000, training_funds=0)
    facility(school(town_a, "SB"), public_funds=10000, training_funds=Decimal("499.99"))
    facility(school(town_a, "SZ"))
    rows = compute(code)
    check(rows, code, district, 50.0, 1.0, 2.0)


def test_public_kindergarten_funds_per_child(district, town_a):
    # K1 (public) 60 000 yuan, 100 children → 600; K2 (private) is not counted
    k1 = school(town_a, "K1", stage=SchoolStage.KINDERGARTEN)
    facility(k1, public_funds=60000)
    KindergartenClass.objects.create(school=k1, year=2024, level="small", classes=4, children=100)
    k2 = school(town_a, "K2", stage=SchoolStage.KINDERGARTEN, ownership=Ownership.PRIVATE)
    facility(k2, public_funds=90000)
    KindergartenClass.objects.create(school=k2, year=2024, level="small", classes=2, children=50)
    rows = compute("xqpjph_g3")
    check(rows, "xqpjph_g3", district, 600.0, 60000.0, 100.0)


@pytest.fixture
def monitoring_2023(district, district_admin):
    for grade, subject, level, gap in (
        (4, "数学", 3, 0.11),
        (4, "体育与健康", 4, 0.08),
        (8, "科学", 3, 0.16),
        (8, "艺术", 2, 0.12),
    ):
        MonitoringResult.objects.create(
            unit=district,
            year=2023,
            grade=grade,
            subject=subject,
            level=level,
            school_gap=gap,
            source_name="监测报告.xlsx",
            imported_by=district_admin,
        )


def test_monitoring_uses_the_latest_report_received(district, monitoring_2023):
    # three of four subjects at Ⅲ级 or above: 75 %; the largest 校际差异率 0.16; the 2023 report
    # still answers for 2024, and nothing answers for 2022
    rows = compute("evaluation_monitoring_level_rate", "evaluation_monitoring_school_gap")
    check(rows, "evaluation_monitoring_level_rate", district, 75.0, 3.0, 4.0)
    assert at(rows, "evaluation_monitoring_school_gap", district)[0] == 0.16
    assert details(rows, "evaluation_monitoring_level_rate", district)["monitoring_year"] == 2023
    older = compute("evaluation_monitoring_level_rate", year=2022)
    assert absent(older, "evaluation_monitoring_level_rate", district)
