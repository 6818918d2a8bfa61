"""Every indicator of definitions/coverage.py, towns.py and preschool.py on small hand-made data.

Each test builds its own towns under the district "D" (conftest) and asserts (value, numerator,
denominator) at schools, towns and the district, worked out by hand in the comments.
Unit codes: R… rural school (220/210/121), U… urban school (111/112), K… kindergarten,
P/J/N/H… primary/junior/nine-year/senior school, C… campus, V… village, T… town, SD… 街道.
A unit missing from the expected dict has no value at all.
"""

import datetime as dt

import pytest

from ruraledu.activities.choices import BaseKind, Level, PilotLevel
from ruraledu.activities.models import (
    FeatureCourse,
    LessonObservation,
    SchoolLink,
    Studio,
    TownPilot,
    UniversityBase,
)
from ruraledu.facilities.choices import KindergartenGrade, KindergartenLevel, TitleKind
from ruraledu.indicators.models import Standard
from ruraledu.orgunits.choices import CampusType, Ownership, SchoolStage
from ruraledu.orgunits.models import EducationGroup, Pairing, SchoolDistrict

from ._coverage_data import (
    ADVISER,
    DIRECTOR,
    YEAR,
    campus,
    computed,
    district_role,
    facility,
    kg_classes,
    kindergarten,
    post,
    results,
    school,
    staff,
    subdistrict,
    title,
    town,
    village,
    village_record,
)

PRIVATE = Ownership.PRIVATE
NATIONAL, PROVINCIAL, CITY, COUNTY = "1", "2", "3", "4"  # TitleLevel, ordered from the top


def pct(numerator: float, denominator: float) -> float:
    return pytest.approx(numerator / denominator * 100)


# ================================================================ coverage.py: facility flags


def _flag_scenario(district, meets: dict, partly: dict) -> None:
    """TA: R1 (220) and rural kindergarten K1 (210) meet; R2 (121) meets only part, while its campus
    C2 meets; R3 (210) has no record this year (last year's met); urban U1 (111) meets.
    TB: only urban U2 (112), which meets."""
    ta, tb = town("TA", district), town("TB", district)
    facility(school("R1", ta, ur="220"), **meets)
    facility(kindergarten("K1", ta, ur="210"), **meets)
    r2 = school("R2", ta, ur="121")
    facility(r2, **partly)
    facility(campus("C2", r2), **meets)
    facility(school("R3", ta, ur="210"), year=YEAR - 1, **meets)
    facility(school("U1", ta, ur="111"), **meets)
    facility(school("U2", tb, ur="112"), **meets)


RURAL_FLAG_SHARES = [
    # (code, flags that meet it, flags that meet only part of it)
    ("rural_moral_plan_rate", {"moral_plan_on_file": True}, {}),
    (
        "rural_parent_committee_school_rate",
        {"parent_committee": True, "parent_school": True},
        {"parent_committee": True},
    ),
    (
        "rural_clean_heating_cooling_rate",
        {"clean_heating": True, "cooling": True},
        {"clean_heating": True},
    ),
    ("rural_sanitary_toilet_rate", {"sanitary_toilets": True}, {}),
    ("rural_labour_site_rate", {"labour_site": True}, {}),
    ("rural_left_behind_care_room_rate", {"left_behind_room": True}, {}),
]


@pytest.mark.parametrize(
    ("code", "meets", "partly"), RURAL_FLAG_SHARES, ids=[row[0] for row in RURAL_FLAG_SHARES]
)
def test_rural_flag_share_counts_rural_schools_and_kindergartens(district, code, meets, partly):
    # given the flag scenario
    _flag_scenario(district, meets, partly)
    # when
    got = results(code)
    # then rural schools R1, K1, R2, R3 are the scope; R3 has no record this year so no value of
    # its own, but it still counts in TA's denominator; R2's campus does not make R2 meet;
    # urban U1 and U2 are out of scope, so TB (urban only) has no value → 2 of 4 = 50 %
    assert got == {
        "R1": (100.0, 1.0, 1.0),
        "K1": (100.0, 1.0, 1.0),
        "R2": (0.0, 0.0, 1.0),
        "TA": (50.0, 2.0, 4.0),
        "D": (50.0, 2.0, 4.0),
    }


ALL_SCHOOL_FLAG_SHARES = [
    (
        "school_safe_water_hot_water_rate",
        {"water_passed": True, "hot_water": True},
        {"water_passed": True},
    ),
    ("school_gigabit_rate", {"uplink_mbps": 1000}, {"uplink_mbps": 999}),
]


@pytest.mark.parametrize(
    ("code", "meets", "partly"),
    ALL_SCHOOL_FLAG_SHARES,
    ids=[row[0] for row in ALL_SCHOOL_FLAG_SHARES],
)
def test_all_school_flag_share_counts_urban_schools_too(district, code, meets, partly):
    # given the flag scenario
    _flag_scenario(district, meets, partly)
    # when
    got = results(code)
    # then every school counts: TA R1, K1, U1 meet of R1, K1, R2, R3, U1 → 3/5;
    # TB U2 → 1/1; district 4/6
    assert got == {
        "R1": (100.0, 1.0, 1.0),
        "K1": (100.0, 1.0, 1.0),
        "R2": (0.0, 0.0, 1.0),
        "U1": (100.0, 1.0, 1.0),
        "U2": (100.0, 1.0, 1.0),
        "TA": (60.0, 3.0, 5.0),
        "TB": (100.0, 1.0, 1.0),
        "D": (pct(4, 6), 4.0, 6.0),
    }


def test_rural_rule_follows_the_configured_codes(district, settings):
    # given a district reading "乡村" as 210/220 only (镇区 121 counts as urban)
    settings.RURAL_URBAN_RURAL_CODES = ("210", "220")
    ta = town("TA", district)
    facility(school("R1", ta, ur="220"), sanitary_toilets=True)
    facility(school("R2", ta, ur="121"), sanitary_toilets=False)
    # when
    got = results("rural_sanitary_toilet_rate")
    # then R2 (121) is no longer rural → 1 of 1
    assert got == {"R1": (100.0, 1.0, 1.0), "TA": (100.0, 1.0, 1.0), "D": (100.0, 1.0, 1.0)}


def test_an_inactive_school_is_left_out(district):
    # given TA: R1 with sanitary toilets and R2, closed (inactive), without
    ta = town("TA", district)
    facility(school("R1", ta), sanitary_toilets=True)
    r2 = school("R2", ta)
    facility(r2, sanitary_toilets=False)
    r2.org_unit.is_active = False
    r2.org_unit.save()
    # when
    got = results("rural_sanitary_toilet_rate")
    # then only R1 counts → 1/1
    assert got == {"R1": (100.0, 1.0, 1.0), "TA": (100.0, 1.0, 1.0), "D": (100.0, 1.0, 1.0)}


def test_rural_boarding_condition_rate_is_over_boarding_rural_schools(district):
    # given TA: R1 boarding and up to standard, R2 boarding not up to standard, R3 day school,
    # R4 no record; urban U1 boarding up to standard. TB: only a rural day school R5.
    ta, tb = town("TA", district), town("TB", district)
    facility(school("R1", ta), boarding=True, boarding_condition_ok=True)
    facility(school("R2", ta, ur="121"), boarding=True, boarding_condition_ok=False)
    facility(school("R3", ta, ur="210"), boarding=False)
    school("R4", ta)
    facility(school("U1", ta, ur="111"), boarding=True, boarding_condition_ok=True)
    facility(school("R5", tb), boarding=False)
    # when
    got = results("rural_boarding_condition_rate")
    # then 1 of TA's 2 boarding rural schools is up to standard; day schools have denominator 0
    # (value None); TB has no boarding school → None
    assert got == {
        "R1": (100.0, 1.0, 1.0),
        "R2": (0.0, 0.0, 1.0),
        "R3": (None, 0.0, 0.0),
        "R5": (None, 0.0, 0.0),
        "TA": (50.0, 1.0, 2.0),
        "TB": (None, 0.0, 0.0),
        "D": (50.0, 1.0, 2.0),
    }


def test_town_seat_recording_room_rate_only_counts_seat_primary_and_junior(district):
    # given TA: seat primary P1 with 2 recording rooms, seat junior J1 with none, seat nine-year
    # N1 with no record; out of scope: seat kindergarten K1, seat senior H1 and non-seat R1 (with
    # rooms). TB: seat junior J2 (121) with 1 room.
    ta, tb = town("TA", district), town("TB", district)
    facility(school("P1", ta, seat=True), recording_rooms=2)
    facility(school("J1", ta, stage=SchoolStage.JUNIOR, seat=True), recording_rooms=0)
    school("N1", ta, stage=SchoolStage.NINE_YEAR, seat=True)
    facility(kindergarten("K1", ta, seat=True), recording_rooms=1)
    facility(school("H1", ta, stage=SchoolStage.SENIOR, seat=True), recording_rooms=1)
    facility(school("R1", ta), recording_rooms=1)
    facility(school("J2", tb, ur="121", stage=SchoolStage.JUNIOR, seat=True), recording_rooms=1)
    # when
    got = results("town_seat_recording_room_rate")
    # then TA: P1 of P1, J1, N1 → 1/3; TB: 1/1; district 2/4
    assert got == {
        "P1": (100.0, 1.0, 1.0),
        "J1": (0.0, 0.0, 1.0),
        "J2": (100.0, 1.0, 1.0),
        "TA": (pct(1, 3), 1.0, 3.0),
        "TB": (100.0, 1.0, 1.0),
        "D": (50.0, 2.0, 4.0),
    }


# ================================================================ coverage.py: titles


def test_town_seat_city_civilised_rate_counts_titles_held_in_the_year(district):
    # given TA: seat primary P1 city 文明校园 since 2020 ✓; seat junior J1 county only ✗;
    # seat nine-year N1 provincial awarded after the year ✗; out of scope: seat kindergarten K1
    # (national) and non-seat R1 (city).
    # TB: seat primary P2 city, revoked the year before ✗; seat junior J2 national, revoked the
    # year after ✓; seat primary P3 holds a city 绿色校园, not 文明校园 ✗.
    civilised = TitleKind.CIVILISED
    ta, tb = town("TA", district), town("TB", district)
    title(school("P1", ta, seat=True), civilised, CITY, awarded=2020)
    title(school("J1", ta, stage=SchoolStage.JUNIOR, seat=True), civilised, COUNTY, awarded=2020)
    n1 = school("N1", ta, stage=SchoolStage.NINE_YEAR, seat=True)
    title(n1, civilised, PROVINCIAL, awarded=YEAR + 1)
    title(kindergarten("K1", ta, seat=True), civilised, NATIONAL, awarded=2020)
    title(school("R1", ta), civilised, CITY, awarded=2020)
    title(school("P2", tb, seat=True), civilised, CITY, awarded=2020, revoked=YEAR - 1)
    j2 = school("J2", tb, stage=SchoolStage.JUNIOR, seat=True)
    title(j2, civilised, NATIONAL, awarded=YEAR, revoked=YEAR + 1)
    title(school("P3", tb, seat=True), TitleKind.GREEN, CITY, awarded=2020)
    # when
    got = results("town_seat_city_civilised_rate")
    # then (no facility record needed) TA 1/3, TB 1/3, district 2/6
    assert got == {
        "P1": (100.0, 1.0, 1.0),
        "J1": (0.0, 0.0, 1.0),
        "N1": (0.0, 0.0, 1.0),
        "P2": (0.0, 0.0, 1.0),
        "J2": (100.0, 1.0, 1.0),
        "P3": (0.0, 0.0, 1.0),
        "TA": (pct(1, 3), 1.0, 3.0),
        "TB": (pct(1, 3), 1.0, 3.0),
        "D": (pct(2, 6), 2.0, 6.0),
    }


def test_rural_green_campus_rate_counts_any_level_held_in_the_year(district):
    # given TA: R1 county 绿色校园 awarded this year ✓; kindergarten K1 city ✓; R2 awarded after
    # the year ✗; R3 revoked the year before ✗; R4 holds 温馨校园 only ✗; urban U1 green (out).
    # TB: only urban U2 with a green title.
    green = TitleKind.GREEN
    ta, tb = town("TA", district), town("TB", district)
    title(school("R1", ta), green, COUNTY, awarded=YEAR)
    title(kindergarten("K1", ta, ur="210"), green, CITY, awarded=2019)
    title(school("R2", ta, ur="121"), green, PROVINCIAL, awarded=YEAR + 1)
    title(school("R3", ta), green, CITY, awarded=2019, revoked=YEAR - 1)
    title(school("R4", ta), TitleKind.WARM, CITY, awarded=2019)
    title(school("U1", ta, ur="111"), green, CITY, awarded=2019)
    title(school("U2", tb, ur="112"), green, CITY, awarded=2019)
    # when
    got = results("rural_green_campus_rate")
    # then 2 of TA's 5 rural schools; TB has no rural school → no value
    assert got == {
        "R1": (100.0, 1.0, 1.0),
        "K1": (100.0, 1.0, 1.0),
        "R2": (0.0, 0.0, 1.0),
        "R3": (0.0, 0.0, 1.0),
        "R4": (0.0, 0.0, 1.0),
        "TA": (40.0, 2.0, 5.0),
        "D": (40.0, 2.0, 5.0),
    }


def test_rural_warm_campus_rate_counts_county_level_and_above(district):
    # given R1 county 温馨校园 ✓; R2 national, revoked only after the year ✓; R3 city, revoked
    # the year before ✗; R4 a green title only ✗
    warm = TitleKind.WARM
    ta = town("TA", district)
    title(school("R1", ta), warm, COUNTY, awarded=2022)
    title(school("R2", ta), warm, NATIONAL, awarded=2022, revoked=YEAR + 1)
    title(school("R3", ta), warm, CITY, awarded=2020, revoked=YEAR - 1)
    title(school("R4", ta), TitleKind.GREEN, COUNTY, awarded=2022)
    # when
    got = results("rural_warm_campus_rate")
    # then 2 of 4
    assert got["R1"] == (100.0, 1.0, 1.0)
    assert got["R2"] == (100.0, 1.0, 1.0)
    assert got["R3"] == (0.0, 0.0, 1.0)
    assert got["TA"] == (50.0, 2.0, 4.0)
    assert got["D"] == (50.0, 2.0, 4.0)


def test_rural_provincial_scholarly_campus_count_counts_provincial_and_national(district):
    # given TA: R1 provincial 书香校园 ✓, R2 national ✓, R3 city ✗, kindergarten K1 provincial
    # awarded after the year ✗, urban U1 provincial (out). TB: rural R4 without titles.
    # TC: urban only.
    reading = TitleKind.READING
    ta, tb, tc = town("TA", district), town("TB", district), town("TC", district)
    title(school("R1", ta), reading, PROVINCIAL, awarded=2021)
    title(school("R2", ta), reading, NATIONAL, awarded=2021)
    title(school("R3", ta), reading, CITY, awarded=2021)
    title(kindergarten("K1", ta), reading, PROVINCIAL, awarded=YEAR + 1)
    title(school("U1", ta, ur="111"), reading, PROVINCIAL, awarded=2021)
    school("R4", tb)
    school("U2", tc, ur="111")
    # when
    got = results("rural_provincial_scholarly_campus_count")
    # then a count (no denominator): TA 2, TB 0, district 2; TC has no rural school → no value
    assert got == {
        "R1": (1.0, 1.0, None),
        "R2": (1.0, 1.0, None),
        "R3": (0.0, 0.0, None),
        "K1": (0.0, 0.0, None),
        "R4": (0.0, 0.0, None),
        "TA": (2.0, 2.0, None),
        "TB": (0.0, 0.0, None),
        "D": (2.0, 2.0, None),
    }


# ================================================================ coverage.py: classrooms


def test_rural_classroom_lighting_rate_sums_rooms_including_campuses(district):
    # given TA: R1 with 8 of 10 rooms lit to standard and its campus C1 with 5 of 5; R2 (121)
    # 3 of 6; R3 no record; urban U1 0 of 20 (out). TB: only urban U2.
    ta, tb = town("TA", district), town("TB", district)
    r1 = school("R1", ta)
    facility(r1, classrooms=10, classrooms_lighting_ok=8)
    facility(campus("C1", r1), classrooms=5, classrooms_lighting_ok=5)
    facility(school("R2", ta, ur="121"), classrooms=6, classrooms_lighting_ok=3)
    school("R3", ta)
    facility(school("U1", ta, ur="111"), classrooms=20, classrooms_lighting_ok=0)
    facility(school("U2", tb, ur="112"), classrooms=4, classrooms_lighting_ok=4)
    # when
    got = results("rural_classroom_lighting_rate")
    # then R1 = (8 + 5) / (10 + 5) = 13/15; TA = (13 + 3) / (15 + 6) = 16/21
    assert got == {
        "R1": (pct(13, 15), 13.0, 15.0),
        "C1": (100.0, 5.0, 5.0),
        "R2": (50.0, 3.0, 6.0),
        "TA": (pct(16, 21), 16.0, 21.0),
        "D": (pct(16, 21), 16.0, 21.0),
    }


def test_classroom_100m_rate_sums_rooms_of_all_schools_and_campuses(district):
    # given TA: R1 10 of 10 rooms at 100 Mbps and its campus C1 2 of 5; R2 0 of 6; R3 no record;
    # urban U1 20 of 20. TB: urban U2 4 of 4.
    ta, tb = town("TA", district), town("TB", district)
    r1 = school("R1", ta)
    facility(r1, classrooms=10, classrooms_100mbps=10)
    facility(campus("C1", r1), classrooms=5, classrooms_100mbps=2)
    facility(school("R2", ta, ur="121"), classrooms=6, classrooms_100mbps=0)
    school("R3", ta)
    facility(school("U1", ta, ur="111"), classrooms=20, classrooms_100mbps=20)
    facility(school("U2", tb, ur="112"), classrooms=4, classrooms_100mbps=4)
    # when
    got = results("classroom_100m_rate")
    # then R1 = 12/15; TA = (12 + 0 + 20) / (15 + 6 + 20) = 32/41; district = 36/45
    assert got == {
        "R1": (80.0, 12.0, 15.0),
        "C1": (40.0, 2.0, 5.0),
        "R2": (0.0, 0.0, 6.0),
        "U1": (100.0, 20.0, 20.0),
        "U2": (100.0, 4.0, 4.0),
        "TA": (pct(32, 41), 32.0, 41.0),
        "TB": (100.0, 4.0, 4.0),
        "D": (80.0, 36.0, 45.0),
    }


# ================================================================ coverage.py: pairings, bases, courses


def _pair(school_, partner, started_on: str, ended_on: str | None = None) -> None:
    Pairing.objects.create(
        school=school_,
        partner=partner,
        started_on=dt.date.fromisoformat(started_on),
        ended_on=ended_on and dt.date.fromisoformat(ended_on),
    )


def test_rural_public_pairing_rate_counts_pairings_active_in_the_year(district):
    # given the year 2024-09-01 … 2025-08-31 and urban partner U1; in TA:
    # R1 paired since 2023, open ✓; R2 ended 2024-08-31, the day before the year ✗;
    # R3 ended 2024-09-01 ✓; R4 started 2025-08-31 ✓; R5 started 2025-09-01 ✗; R6 never ✗;
    # public kindergarten K1 ✓; out of scope: private kindergarten K2 and urban U2 (both paired)
    assert YEAR == 2024
    ta = town("TA", district)
    u1 = school("U1", ta, ur="111")
    _pair(school("R1", ta), u1, "2023-03-01")
    _pair(school("R2", ta), u1, "2023-03-01", "2024-08-31")
    _pair(school("R3", ta, ur="121"), u1, "2023-03-01", "2024-09-01")
    _pair(school("R4", ta), u1, "2025-08-31")
    _pair(school("R5", ta), u1, "2025-09-01")
    school("R6", ta)
    _pair(kindergarten("K1", ta), u1, "2024-09-01")
    _pair(kindergarten("K2", ta, ownership=PRIVATE, inclusive=True), u1, "2024-09-01")
    _pair(school("U2", ta, ur="112"), u1, "2024-09-01")
    # when
    got = results("rural_public_pairing_rate")
    # then R1, R3, R4, K1 of R1–R6 and K1 → 4/7
    assert got["R1"] == (100.0, 1.0, 1.0)
    assert got["R2"] == (0.0, 0.0, 1.0)
    assert got["R5"] == (0.0, 0.0, 1.0)
    assert got["TA"] == (pct(4, 7), 4.0, 7.0)
    assert got["D"] == (pct(4, 7), 4.0, 7.0)
    assert {"K2", "U1", "U2"}.isdisjoint(got)


def _base(school_, founded: int, ended: int | None = None) -> None:
    UniversityBase.objects.create(
        school=school_,
        partner="某师范大学",
        kind=BaseKind.PRACTICE,
        founded_year=founded,
        ended_year=ended,
    )


def test_rural_public_research_base_rate_counts_bases_active_in_the_year(district):
    # given TA: R1 base founded this year ✓; R2 founded the year after ✗; R3 ended this year ✗;
    # R4 ends the year after ✓; public kindergarten K1 ✓; out of scope: private kindergarten K2
    # and urban U1, both with bases
    ta = town("TA", district)
    _base(school("R1", ta), YEAR)
    _base(school("R2", ta), YEAR + 1)
    _base(school("R3", ta), 2020, ended=YEAR)
    _base(school("R4", ta), 2020, ended=YEAR + 1)
    _base(kindergarten("K1", ta), 2020)
    _base(kindergarten("K2", ta, ownership=PRIVATE), 2020)
    _base(school("U1", ta, ur="111"), 2020)
    # when
    got = results("rural_public_research_base_rate")
    # then R1, R4, K1 of R1–R4 and K1 → 3/5
    assert got == {
        "R1": (100.0, 1.0, 1.0),
        "R2": (0.0, 0.0, 1.0),
        "R3": (0.0, 0.0, 1.0),
        "R4": (100.0, 1.0, 1.0),
        "K1": (100.0, 1.0, 1.0),
        "TA": (60.0, 3.0, 5.0),
        "D": (60.0, 3.0, 5.0),
    }


def _course(school_, name: str, year: int = YEAR, **fields) -> None:
    FeatureCourse.objects.create(school=school_, year=year, name=name, **fields)


def test_rural_characteristic_course_rate_needs_a_course_that_is_not_a_club(district):
    # given TA: R1 a course ✓; R2 only a club ✗; R3 no course this year (one last year);
    # kindergarten K1 a course ✓; urban U1 a course (out)
    ta = town("TA", district)
    _course(school("R1", ta), "剪纸")
    _course(school("R2", ta), "足球社", is_club=True)
    _course(school("R3", ta), "陶艺", year=YEAR - 1)
    _course(kindergarten("K1", ta), "泥塑")
    _course(school("U1", ta, ur="111"), "机器人")
    # when
    got = results("rural_characteristic_course_rate")
    # then R3 has no value but counts in TA: R1, K1 of R1, R2, R3, K1 → 2/4
    assert got == {
        "R1": (100.0, 1.0, 1.0),
        "R2": (0.0, 0.0, 1.0),
        "K1": (100.0, 1.0, 1.0),
        "TA": (50.0, 2.0, 4.0),
        "D": (50.0, 2.0, 4.0),
    }


def test_rural_featured_course_promoted_count_counts_promoted_courses_of_the_year(district):
    # given TA: R1 two promoted courses and one plain; R2 one promoted last year only;
    # urban U1 one promoted (out)
    ta = town("TA", district)
    r1 = school("R1", ta)
    _course(r1, "剪纸", promoted=True)
    _course(r1, "陶艺", promoted=True)
    _course(r1, "书法")
    _course(school("R2", ta), "泥塑", year=YEAR - 1, promoted=True)
    _course(school("U1", ta, ur="111"), "机器人", promoted=True)
    # when
    got = results("rural_featured_course_promoted_count")
    # then a count: R1 2, R2 0, TA 2, district 2
    assert got == {
        "R1": (2.0, 2.0, None),
        "R2": (0.0, 0.0, None),
        "TA": (2.0, 2.0, None),
        "D": (2.0, 2.0, None),
    }


# ================================================================ towns.py: villages


def test_village_parent_school_rate_is_over_villages_with_a_record(district):
    # given TA: V1 家长学校 ✓, V2 指导站点 ✓, V3 neither ✗, V4 no record this year (one last year);
    # 街道 SD: V5 家长学校 ✓
    ta, sd = town("TA", district), subdistrict("SD", district)
    village_record(village("V1", ta), parent_school=True)
    village_record(village("V2", ta), guidance_station=True)
    village_record(village("V3", ta))
    village_record(village("V4", ta), year=YEAR - 1, parent_school=True)
    village_record(village("V5", sd), parent_school=True)
    # when
    got = results("village_parent_school_rate")
    # then TA 2/3 (V4 has no record, so no value and not counted); SD 1/1; district 3/4
    assert got == {
        "V1": (100.0, 1.0, 1.0),
        "V2": (100.0, 1.0, 1.0),
        "V3": (0.0, 0.0, 1.0),
        "V5": (100.0, 1.0, 1.0),
        "TA": (pct(2, 3), 2.0, 3.0),
        "SD": (100.0, 1.0, 1.0),
        "D": (75.0, 3.0, 4.0),
    }


def test_civilisation_station_parent_school_rate_is_over_stations(district):
    # given TA: V1 station with a 家长学校 ✓, V2 station with a 指导站点 ✓, V3 station with
    # neither ✗, V4 a 家长学校 but no station (not in the denominator)
    ta = town("TA", district)
    village_record(village("V1", ta), civilisation_station=True, parent_school=True)
    village_record(village("V2", ta), civilisation_station=True, guidance_station=True)
    village_record(village("V3", ta), civilisation_station=True)
    village_record(village("V4", ta), parent_school=True)
    # when
    got = results("civilisation_station_parent_school_rate")
    # then 2 of 3 stations; V4 has denominator 0 → None
    assert got == {
        "V1": (100.0, 1.0, 1.0),
        "V2": (100.0, 1.0, 1.0),
        "V3": (0.0, 0.0, 1.0),
        "V4": (None, 0.0, 0.0),
        "TA": (pct(2, 3), 2.0, 3.0),
        "D": (pct(2, 3), 2.0, 3.0),
    }


# ================================================================ towns.py: towns


def test_town_school_district_staffed_rate_needs_both_roles_in_one_district(district):
    # given TA: 学区 with a 学区主任 and an 教育指导员 this year ✓; TB: 学区 with a 学区主任
    # only ✗; TC: two 学区, one with only a 学区主任, the other with only an 教育指导员 ✗;
    # TD: both roles last year only ✗; 街道 SD: staffed 学区 (not a 镇, out)
    ta, tb, tc, td = (town(code, district) for code in ("TA", "TB", "TC", "TD"))
    sd = subdistrict("SD", district)
    xa = SchoolDistrict.objects.create(town=ta, name="甲学区")
    district_role(xa, DIRECTOR)
    district_role(xa, ADVISER)
    district_role(SchoolDistrict.objects.create(town=tb, name="乙学区"), DIRECTOR)
    district_role(SchoolDistrict.objects.create(town=tc, name="丙一学区"), DIRECTOR)
    district_role(SchoolDistrict.objects.create(town=tc, name="丙二学区"), ADVISER)
    xd = SchoolDistrict.objects.create(town=td, name="丁学区")
    district_role(xd, DIRECTOR, year=YEAR - 1)
    district_role(xd, ADVISER, year=YEAR - 1)
    xs = SchoolDistrict.objects.create(town=sd, name="街道学区")
    district_role(xs, DIRECTOR)
    district_role(xs, ADVISER)
    # when
    got = results("town_school_district_staffed_rate")
    # then 1 of the 4 towns
    assert got == {
        "TA": (100.0, 1.0, 1.0),
        "TB": (0.0, 0.0, 1.0),
        "TC": (0.0, 0.0, 1.0),
        "TD": (0.0, 0.0, 1.0),
        "D": (25.0, 1.0, 4.0),
    }


def test_school_district_itinerant_teaching_rate_needs_a_peripatetic_post_in_a_district(district):
    # given TA: a school of TA's 学区 with a 走教 teacher this year ✓; TB: the same but last year
    # ✗; TC: a 走教 teacher at a school outside any 学区 ✗
    ta, tb, tc = town("TA", district), town("TB", district), town("TC", district)
    xa = SchoolDistrict.objects.create(town=ta, name="甲学区")
    xb = SchoolDistrict.objects.create(town=tb, name="乙学区")
    post(staff(), school("R1", ta, school_district=xa), peripatetic=True)
    post(staff(), school("R2", ta, school_district=xa))
    post(staff(), school("R3", tb, school_district=xb), year=YEAR - 1, peripatetic=True)
    post(staff(), school("R4", tc), peripatetic=True)
    # when
    got = results("school_district_itinerant_teaching_rate")
    # then 1 of 3 towns
    assert got == {
        "TA": (100.0, 1.0, 1.0),
        "TB": (0.0, 0.0, 1.0),
        "TC": (0.0, 0.0, 1.0),
        "D": (pct(1, 3), 1.0, 3.0),
    }


def _studio(town_, name: str, level: str, founded: int = 2020, closed: int | None = None):
    Studio.objects.create(
        name=name, host=staff(), level=level, town=town_, founded_year=founded, closed_year=closed
    )


def _pilot(town_, level: str, started: int = 2022) -> None:
    TownPilot.objects.create(town=town_, level=level, started_year=started)


def test_pilot_town_city_studio_rate_is_over_province_and_city_pilot_towns(district):
    # given pilot towns (province or city pilot started by the year): TA city pilot with a city
    # studio ✓; TB province pilot with a county studio only ✗; TE city pilot whose provincial
    # studio closed this year ✗. Not pilot towns: TC (county pilot, city studio) and TD (city
    # pilot starting the year after, city studio).
    ta, tb, tc, td, te = (town(code, district) for code in ("TA", "TB", "TC", "TD", "TE"))
    _pilot(ta, PilotLevel.CITY)
    _pilot(ta, PilotLevel.PROVINCE, started=2023)  # a second pilot: TA still counts once
    _studio(ta, "甲工作室", Level.CITY)
    _pilot(tb, PilotLevel.PROVINCE)
    _studio(tb, "乙工作室", Level.COUNTY)
    _pilot(tc, PilotLevel.COUNTY)
    _studio(tc, "丙工作室", Level.CITY)
    _pilot(td, PilotLevel.CITY, started=YEAR + 1)
    _studio(td, "丁工作室", Level.CITY)
    _pilot(te, PilotLevel.CITY)
    _studio(te, "戊工作室", Level.PROVINCE, closed=YEAR)
    # when
    got = results("pilot_town_city_studio_rate")
    # then 1 of the 3 pilot towns
    assert got == {
        "TA": (100.0, 1.0, 1.0),
        "TB": (0.0, 0.0, 1.0),
        "TE": (0.0, 0.0, 1.0),
        "D": (pct(1, 3), 1.0, 3.0),
    }


def test_town_famous_teacher_studio_rate_counts_studios_open_in_the_year(district):
    # given TA: a county studio ✓; TB: a studio founded the year after ✗; TC: a studio closed
    # the year before ✗; TD: none ✗; 街道 SD: a studio (out)
    ta, tb, tc, td = (town(code, district) for code in ("TA", "TB", "TC", "TD"))
    _studio(ta, "甲工作室", Level.COUNTY)
    _studio(tb, "乙工作室", Level.CITY, founded=YEAR + 1)
    _studio(tc, "丙工作室", Level.CITY, closed=YEAR - 1)
    _studio(subdistrict("SD", district), "街道工作室", Level.CITY)
    # when
    got = results("town_famous_teacher_studio_rate")
    # then 1 of 4
    assert got == {
        "TA": (100.0, 1.0, 1.0),
        "TB": (0.0, 0.0, 1.0),
        "TC": (0.0, 0.0, 1.0),
        "TD": (0.0, 0.0, 1.0),
        "D": (25.0, 1.0, 4.0),
    }


def test_town_special_ed_centre_rate_counts_a_centre_at_a_school_or_campus_of_the_town(district):
    # given TA: a school with a centre ✓; TB: a centre in last year's record only ✗;
    # TC: the centre is recorded at a campus of a TC school ✓; 街道 SD: a centre (out)
    ta, tb, tc = town("TA", district), town("TB", district), town("TC", district)
    facility(school("R1", ta), special_ed_centre=True)
    facility(school("R2", tb), year=YEAR - 1, special_ed_centre=True)
    facility(school("R2b", tb))
    facility(campus("C3", school("R3", tc)), special_ed_centre=True)
    facility(school("U4", subdistrict("SD", district), ur="111"), special_ed_centre=True)
    # when
    got = results("town_special_ed_centre_rate")
    # then 2 of 3
    assert got == {
        "TA": (100.0, 1.0, 1.0),
        "TB": (0.0, 0.0, 1.0),
        "TC": (100.0, 1.0, 1.0),
        "D": (pct(2, 3), 2.0, 3.0),
    }


def test_town_resource_classroom_rate_needs_junior_primary_and_kindergarten(district):
    # given rooms (资源教室) this year at:
    # TA junior, primary, kindergarten ✓; TB a nine-year school (counts as junior and primary)
    # and a kindergarten ✓; TC junior and primary, the kindergarten's room only last year ✗;
    # TD primary, kindergarten and a senior school (not a junior) ✗; 街道 SD all three (out)
    junior, nine, senior = SchoolStage.JUNIOR, SchoolStage.NINE_YEAR, SchoolStage.SENIOR
    ta, tb, tc, td = (town(code, district) for code in ("TA", "TB", "TC", "TD"))
    sd = subdistrict("SD", district)
    facility(school("JA", ta, stage=junior), resource_room=True)
    facility(school("PA", ta), resource_room=True)
    facility(kindergarten("KA", ta), resource_room=True)
    facility(school("NB", tb, stage=nine), resource_room=True)
    facility(kindergarten("KB", tb), resource_room=True)
    facility(school("JC", tc, stage=junior), resource_room=True)
    facility(school("PC", tc), resource_room=True)
    facility(kindergarten("KC", tc), year=YEAR - 1, resource_room=True)
    facility(school("PD", td), resource_room=True)
    facility(kindergarten("KD", td), resource_room=True)
    facility(school("HD", td, stage=senior), resource_room=True)
    facility(school("JS", sd, stage=junior), resource_room=True)
    facility(school("PS", sd), resource_room=True)
    facility(kindergarten("KS", sd), resource_room=True)
    # when
    got = results("town_resource_classroom_rate")
    # then 2 of 4
    assert got == {
        "TA": (100.0, 1.0, 1.0),
        "TB": (100.0, 1.0, 1.0),
        "TC": (0.0, 0.0, 1.0),
        "TD": (0.0, 0.0, 1.0),
        "D": (50.0, 2.0, 4.0),
    }


def test_town_strong_town_pilot_rate_counts_pilots_at_any_level_started_by_the_year(district):
    # given TA: county pilot started this year ✓; TB: city pilot starting the year after ✗;
    # TC: none ✗; 街道 SD: a pilot (out)
    ta, tb, _tc = town("TA", district), town("TB", district), town("TC", district)
    _pilot(ta, PilotLevel.COUNTY, started=YEAR)
    _pilot(tb, PilotLevel.CITY, started=YEAR + 1)
    _pilot(subdistrict("SD", district), PilotLevel.PROVINCE)
    # when
    got = results("town_strong_town_pilot_rate")
    # then 1 of 3
    assert got == {
        "TA": (100.0, 1.0, 1.0),
        "TB": (0.0, 0.0, 1.0),
        "TC": (0.0, 0.0, 1.0),
        "D": (pct(1, 3), 1.0, 3.0),
    }


# ================================================================ towns.py: links, groups


def _observe(observer, school_, semester1: int, semester2: int) -> None:
    """`semester1` 听课 in the year's first semester (Sep–Jan), `semester2` in the second."""
    first, second = dt.date(YEAR, 9, 2), dt.date(YEAR + 1, 3, 2)
    for i in range(semester1):
        LessonObservation.objects.create(
            observer=observer, school=school_, held_on=first + dt.timedelta(days=i)
        )
    for i in range(semester2):
        LessonObservation.objects.create(
            observer=observer, school=school_, held_on=second + dt.timedelta(days=i)
        )


def test_pilot_town_researcher_observation_rate_needs_8_in_each_semester(district):
    # given a past year (both semesters count), city pilot town TA with schools S1, S2 and
    # non-pilot TB with S3; 教研员 A and B (researcher posts this year), 骨干 teacher G (no
    # researcher post). Links this year:
    # A→S1 8 + 8 ✓; B→S1 8 + 7 ✗; A→S2 10 + 0 ✗; G→S2 9 + 9 (not a 教研员, out); A→S3 (TB, out)
    assert dt.date.today() > dt.date(YEAR + 1, 2, 28)
    ta, tb = town("TA", district), town("TB", district)
    _pilot(ta, PilotLevel.CITY)
    s1, s2, s3 = school("S1", ta), school("S2", ta), school("S3", tb)
    a, b, g = staff("甲"), staff("乙"), staff("丙")
    post(a, s1, is_researcher=True)
    post(b, s2, is_researcher=True)
    post(g, s2)
    for person, linked, first, second in [
        (a, s1, 8, 8),
        (b, s1, 8, 7),
        (a, s2, 10, 0),
        (g, s2, 9, 9),
        (a, s3, 8, 8),
    ]:
        SchoolLink.objects.create(person=person, school=linked, year=YEAR)
        _observe(person, linked, first, second)
    # when
    got = results("pilot_town_researcher_observation_rate")
    # then S1 1/2, S2 0/1, TA and the district 1/3; S3 is out of scope
    assert got == {
        "S1": (50.0, 1.0, 2.0),
        "S2": (0.0, 0.0, 1.0),
        "TA": (pct(1, 3), 1.0, 3.0),
        "D": (pct(1, 3), 1.0, 3.0),
    }


def test_pilot_town_researcher_observation_rate_counts_a_link_once_whatever_the_posts(district):
    # given a 教研员 holding researcher posts at two schools this year, linked to S1 once with
    # 8 + 8 听课
    ta = town("TA", district)
    _pilot(ta, PilotLevel.PROVINCE)
    s1, s2 = school("S1", ta), school("S2", ta)
    a = staff("甲")
    post(a, s1, is_researcher=True)
    post(a, s2, is_researcher=True)
    SchoolLink.objects.create(person=a, school=s1, year=YEAR)
    _observe(a, s1, 8, 8)
    # when
    got = results("pilot_town_researcher_observation_rate")
    # then one link, not one per post
    assert got == {
        "S1": (100.0, 1.0, 1.0),
        "TA": (100.0, 1.0, 1.0),
        "D": (100.0, 1.0, 1.0),
    }


def test_new_model_education_group_count_counts_groups_recognised_in_the_year(district):
    # given lead school S1 with two groups recognised this year, S2 with one recognised last year
    ta, tb = town("TA", district), town("TB", district)
    s1, s2 = school("S1", ta, ur="111"), school("S2", tb)
    EducationGroup.objects.create(name="一组", lead_school=s1, model_year=YEAR)
    EducationGroup.objects.create(name="二组", lead_school=s1, model_year=YEAR)
    EducationGroup.objects.create(name="三组", lead_school=s2, model_year=YEAR - 1)
    # when
    got = results("new_model_education_group_count")
    # then S1 2, S2 0; counts roll up: TA 2, TB 0, district 2
    assert got == {
        "S1": (2.0, 2.0, None),
        "S2": (0.0, 0.0, None),
        "TA": (2.0, 2.0, None),
        "TB": (0.0, 0.0, None),
        "D": (2.0, 2.0, None),
    }


# ================================================================ preschool.py: town shares


def _town_kindergartens(district) -> None:
    """TA: public K1 (10 + 20 children), private 普惠 K2 (20), private K3 (10), K4 with no classes
    this year (15 last year). TB: private K5 (40). 街道 SD: public K6 (100)."""
    ta, tb, sd = town("TA", district), town("TB", district), subdistrict("SD", district)
    k1 = kindergarten("K1", ta, ur="121", seat=True)
    kg_classes(k1, 10, level=KindergartenLevel.SMALL)
    kg_classes(k1, 20, level=KindergartenLevel.MIDDLE)
    kg_classes(kindergarten("K2", ta, ownership=PRIVATE, inclusive=True), 20)
    kg_classes(kindergarten("K3", ta, ownership=PRIVATE), 10)
    kg_classes(kindergarten("K4", ta), 15, year=YEAR - 1)
    kg_classes(kindergarten("K5", tb, ownership=PRIVATE), 40)
    kg_classes(kindergarten("K6", sd, ur="111"), 100)


def test_town_preschool_public_rate_excludes_subdistrict_kindergartens(district):
    # given the town kindergartens
    _town_kindergartens(district)
    # when
    got = results("town_preschool_public_rate")
    # then TA 30 public of 30 + 20 + 10 = 60; TB 0 of 40; district 30 of 100 (SD's 100 left out)
    assert got == {
        "K1": (100.0, 30.0, 30.0),
        "K2": (0.0, 0.0, 20.0),
        "K3": (0.0, 0.0, 10.0),
        "K5": (0.0, 0.0, 40.0),
        "TA": (50.0, 30.0, 60.0),
        "TB": (0.0, 0.0, 40.0),
        "D": (30.0, 30.0, 100.0),
    }


def test_town_preschool_inclusive_rate_counts_public_and_private_inclusive(district):
    # given the town kindergartens
    _town_kindergartens(district)
    # when
    got = results("town_preschool_inclusive_rate")
    # then TA (30 + 20) of 60; TB 0 of 40; district 50 of 100
    assert got == {
        "K1": (100.0, 30.0, 30.0),
        "K2": (100.0, 20.0, 20.0),
        "K3": (0.0, 0.0, 10.0),
        "K5": (0.0, 0.0, 40.0),
        "TA": (pct(50, 60), 50.0, 60.0),
        "TB": (0.0, 0.0, 40.0),
        "D": (50.0, 50.0, 100.0),
    }


def test_town_preschool_public_rate_counts_the_children_of_a_kindergarten_branch(district):
    # given TA: public K1 with 30 children and its 分园 C1 with 20; private K2 with 50;
    # 街道 SD: public K6 whose 分园 C6 has 10 children (out)
    ta, sd = town("TA", district), subdistrict("SD", district)
    k1 = kindergarten("K1", ta)
    kg_classes(k1, 30)
    kg_classes(campus("C1", k1, CampusType.KINDERGARTEN_BRANCH), 20)
    kg_classes(kindergarten("K2", ta, ownership=PRIVATE), 50)
    kg_classes(campus("C6", kindergarten("K6", sd), CampusType.KINDERGARTEN_BRANCH), 10)
    # when
    got = results("town_preschool_public_rate")
    # then K1 = (30 + 20) / 50; TA = 50 public of 100
    assert got == {
        "K1": (100.0, 50.0, 50.0),
        "C1": (100.0, 20.0, 20.0),
        "K2": (0.0, 0.0, 50.0),
        "TA": (50.0, 50.0, 100.0),
        "D": (50.0, 50.0, 100.0),
    }


# ================================================================ preschool.py: grades


def test_town_central_kindergarten_model_rate_is_over_public_seat_kindergartens_of_towns(district):
    # given 镇中心幼儿园 (public, town seat, in a 镇): TA's K1 provincial 示范园 ✓; TB's K2 city
    # only ✗; TC's K3 provincial awarded after the year ✗. Out: TA's non-seat public K4 and
    # seat private K5, 街道 SD's seat public K6 (all provincial 示范园).
    model = TitleKind.MODEL_KINDERGARTEN
    ta, tb, tc = town("TA", district), town("TB", district), town("TC", district)
    title(kindergarten("K1", ta, ur="121", seat=True), model, PROVINCIAL, awarded=2020)
    title(kindergarten("K2", tb, ur="121", seat=True), model, CITY, awarded=2020)
    title(kindergarten("K3", tc, ur="121", seat=True), model, PROVINCIAL, awarded=YEAR + 1)
    title(kindergarten("K4", ta), model, PROVINCIAL, awarded=2020)
    title(kindergarten("K5", ta, ownership=PRIVATE, seat=True), model, PROVINCIAL, awarded=2020)
    title(kindergarten("K6", subdistrict("SD", district), seat=True), model, PROVINCIAL, 2020)
    # when
    got = results("town_central_kindergarten_model_rate")
    # then 1 of 3
    assert got == {
        "K1": (100.0, 1.0, 1.0),
        "K2": (0.0, 0.0, 1.0),
        "K3": (0.0, 0.0, 1.0),
        "TA": (100.0, 1.0, 1.0),
        "TB": (0.0, 0.0, 1.0),
        "TC": (0.0, 0.0, 1.0),
        "D": (pct(1, 3), 1.0, 3.0),
    }


def test_rural_public_kindergarten_class2_rate_is_over_other_rural_public_kindergartens(district):
    # given rural public non-seat kindergartens K1 一类 ✓, K2 二类 ✓, K3 三类 ✗, K4 未评定 ✗,
    # K5 no record (no value, still counted in TA); out: seat K6, private K7, urban K8 (all 一类)
    grade = KindergartenGrade
    ta = town("TA", district)
    facility(kindergarten("K1", ta), kindergarten_grade=grade.GRADE_1)
    facility(kindergarten("K2", ta, ur="121"), kindergarten_grade=grade.GRADE_2)
    facility(kindergarten("K3", ta, ur="210"), kindergarten_grade=grade.GRADE_3)
    facility(kindergarten("K4", ta), kindergarten_grade=grade.UNRATED)
    kindergarten("K5", ta)
    facility(kindergarten("K6", ta, seat=True), kindergarten_grade=grade.GRADE_1)
    facility(kindergarten("K7", ta, ownership=PRIVATE), kindergarten_grade=grade.GRADE_1)
    facility(kindergarten("K8", ta, ur="111"), kindergarten_grade=grade.GRADE_1)
    # when
    got = results("rural_public_kindergarten_class2_rate")
    # then 2 of 5
    assert got == {
        "K1": (100.0, 1.0, 1.0),
        "K2": (100.0, 1.0, 1.0),
        "K3": (0.0, 0.0, 1.0),
        "K4": (0.0, 0.0, 1.0),
        "TA": (40.0, 2.0, 5.0),
        "D": (40.0, 2.0, 5.0),
    }


def _kg_areas(code, parent, children, outdoor, building, **attributes) -> None:
    kg = kindergarten(code, parent, **attributes)
    kg_classes(kg, children)
    facility(kg, outdoor_play_area=outdoor, building_area=building)


def test_rural_kindergarten_class2_standard_rate_checks_both_per_child_areas(district):
    # given the standards 4.0 ㎡ outdoor and 10.44 ㎡ building per child, rural kindergartens
    # K1 50 children, 200 ㎡ (4.0) and 522 ㎡ (10.44), exactly at the standard ✓;
    # K2 50 children, 199 ㎡ outdoor (3.98) ✗; K3 20 children, 208 ㎡ building (10.4) ✗;
    # private K6 10 children, 41 ㎡ (4.1) and 105 ㎡ (10.5) ✓; K4 a facility record but no
    # classes and K5 classes but no facility record (no value, not counted); urban K7 ✓ (out)
    ta = town("TA", district)
    _kg_areas("K1", ta, 50, 200, 522)
    _kg_areas("K2", ta, 50, 199, 600)
    _kg_areas("K3", ta, 20, 100, 208, ur="121")
    _kg_areas("K6", ta, 10, 41, 105, ownership=PRIVATE)
    facility(kindergarten("K4", ta), outdoor_play_area=1000, building_area=1000)
    kg_classes(kindergarten("K5", ta), 30)
    _kg_areas("K7", ta, 10, 100, 200, ur="111")
    # when
    got = results("rural_kindergarten_class2_standard_rate")
    # then 2 of the 4 kindergartens that can be judged
    assert got == {
        "K1": (100.0, 1.0, 1.0),
        "K2": (0.0, 0.0, 1.0),
        "K3": (0.0, 0.0, 1.0),
        "K6": (100.0, 1.0, 1.0),
        "TA": (50.0, 2.0, 4.0),
        "D": (50.0, 2.0, 4.0),
    }


def test_rural_kindergarten_class2_standard_rate_keeps_fractional_areas(district):
    # given 10 children, 41 ㎡ outdoor (4.1) and 104.5 ㎡ of buildings (10.45 ≥ 10.44)
    _kg_areas("K1", town("TA", district), 10, 41, "104.5")
    # when
    got = results("rural_kindergarten_class2_standard_rate")
    # then it meets the standard (truncated to 104 ㎡ it would be 10.4 < 10.44)
    assert got["K1"] == (100.0, 1.0, 1.0)


def test_rural_kindergarten_class2_standard_rate_reads_the_bureaus_table(district):
    # given the bureau raised the outdoor standard to 5 ㎡ per child
    Standard.objects.update_or_create(
        code="kg_outdoor_area",
        stage="kindergarten",
        defaults={"value": 5.0, "name": "生均室外游戏场地面积", "source": "教育局"},
    )
    _kg_areas("K1", town("TA", district), 50, 200, 600)
    # when
    got = results("rural_kindergarten_class2_standard_rate")
    # then 4 ㎡ per child no longer meets it
    assert got["K1"] == (0.0, 0.0, 1.0)


# ================================================================ preschool.py: 普及普惠


def _preschool_county(district) -> None:
    """TA: public K1 (4 classes, 100 children, 1 class oversized, 6 full-time teachers + 1 not),
    private 普惠 K2 (2, 40, 0, 2 teachers), private K3 (1, 20, 1 oversized, 1 teacher), primary P1
    with 10 teachers (not a kindergarten); villages V1 120 and V2 80 children aged 3–5 (and V1
    999 last year). TB: urban public K4 (2, 50, 0, 5 teachers), village V3 50. TC: no
    kindergarten, village V4 30."""
    ta, tb, tc = town("TA", district), town("TB", district), town("TC", district)
    k1 = kindergarten("K1", ta)
    kg_classes(k1, 40, classes=2, oversized=1, level=KindergartenLevel.SMALL)
    kg_classes(k1, 60, classes=2, level=KindergartenLevel.LARGE)
    k2 = kindergarten("K2", ta, ownership=PRIVATE, inclusive=True)
    kg_classes(k2, 40, classes=2)
    k3 = kindergarten("K3", ta, ownership=PRIVATE)
    kg_classes(k3, 20, classes=1, oversized=1)
    k4 = kindergarten("K4", tb, ur="111")
    kg_classes(k4, 50, classes=2)
    p1 = school("P1", ta)
    for kg, teachers in ((k1, 6), (k2, 2), (k3, 1), (k4, 5), (p1, 10)):
        for _ in range(teachers):
            post(staff(), kg, is_full_time_teacher=True)
    post(staff(), k1, is_full_time_teacher=False)
    v1 = village("V1", ta)
    village_record(v1, preschool_population=120)
    village_record(v1, year=YEAR - 1, preschool_population=999)
    village_record(village("V2", ta), preschool_population=80)
    village_record(village("V3", tb), preschool_population=50)
    village_record(village("V4", tc), preschool_population=30)


# Worked out from _preschool_county:
#   TA: children 160, public 100, inclusive 140, classes 7 (2 oversized), teachers 9, population 200
#   TB: children 50, public 50, inclusive 50, classes 2 (0 oversized), teachers 5, population 50
#   D:  children 210, public 150, inclusive 190, classes 9 (2 oversized), teachers 14,
#       population 200 + 50 + 30 (TC has villages but no kindergarten) = 280
XQPJPH_EXPECTED = {
    "xqpjph_p1": {  # 毛入园率: children ÷ population; no population at a kindergarten → no value
        "TA": (80.0, 160.0, 200.0),
        "TB": (100.0, 50.0, 50.0),
        "D": (75.0, 210.0, 280.0),
    },
    "xqpjph_p2": {  # 普惠覆盖率: public + 普惠 children ÷ children
        "K1": (100.0, 100.0, 100.0),
        "K2": (100.0, 40.0, 40.0),
        "K3": (0.0, 0.0, 20.0),
        "K4": (100.0, 50.0, 50.0),
        "TA": (87.5, 140.0, 160.0),
        "TB": (100.0, 50.0, 50.0),
        "D": (pct(190, 210), 190.0, 210.0),
    },
    "xqpjph_p3": {  # 公办率: public children ÷ children
        "K1": (100.0, 100.0, 100.0),
        "K2": (0.0, 0.0, 40.0),
        "K3": (0.0, 0.0, 20.0),
        "K4": (100.0, 50.0, 50.0),
        "TA": (62.5, 100.0, 160.0),
        "TB": (100.0, 50.0, 50.0),
        "D": (pct(150, 210), 150.0, 210.0),
    },
    "xqpjph_q1": {  # 班额达标率: classes not oversized ÷ classes
        "K1": (75.0, 3.0, 4.0),
        "K2": (100.0, 2.0, 2.0),
        "K3": (0.0, 0.0, 1.0),
        "K4": (100.0, 2.0, 2.0),
        "TA": (pct(5, 7), 5.0, 7.0),
        "TB": (100.0, 2.0, 2.0),
        "D": (pct(7, 9), 7.0, 9.0),
    },
    "xqpjph_q2": {  # 幼师比: children ÷ full-time kindergarten teachers (ratio, not %)
        "K1": (pytest.approx(100 / 6), 100.0, 6.0),
        "K2": (20.0, 40.0, 2.0),
        "K3": (20.0, 20.0, 1.0),
        "K4": (10.0, 50.0, 5.0),
        "TA": (pytest.approx(160 / 9), 160.0, 9.0),
        "TB": (10.0, 50.0, 5.0),
        "D": (15.0, 210.0, 14.0),
    },
}


@pytest.mark.parametrize("code", sorted(XQPJPH_EXPECTED))
def test_xqpjph_figures_at_kindergarten_town_and_district(district, code):
    # given the county
    _preschool_county(district)
    # when
    got = results(code)
    # then see XQPJPH_EXPECTED; TC (no kindergarten) has no value
    assert got == XQPJPH_EXPECTED[code]


def test_xqpjph_counts_the_children_and_teachers_of_a_kindergarten_branch(district):
    # given TA: public K1 with 30 children and 2 full-time teachers, its 分园 C1 with 20 children
    # (1 class, oversized) and 1 teacher; village V1 with 60 children aged 3–5
    ta = town("TA", district)
    k1 = kindergarten("K1", ta)
    kg_classes(k1, 30)
    c1 = campus("C1", k1, CampusType.KINDERGARTEN_BRANCH)
    kg_classes(c1, 20, oversized=1)
    for unit_ in (k1, k1, c1):
        post(staff(), unit_, is_full_time_teacher=True)
    village_record(village("V1", ta), preschool_population=60)
    # when
    p1, q1, q2 = (results(code) for code in ("xqpjph_p1", "xqpjph_q1", "xqpjph_q2"))
    # then TA: 毛入园率 (30 + 20) / 60; 班额 1 of 2 classes fine; 幼师比 50 / 3
    assert p1["TA"] == (pct(50, 60), 50.0, 60.0)
    assert q1["TA"] == (50.0, 1.0, 2.0)
    assert q1["K1"] == (50.0, 1.0, 2.0)
    assert q2["TA"] == (pytest.approx(50 / 3), 50.0, 3.0)


def test_county_xqpjph_unmet_count_lists_the_unmet_checks(district):
    # given the county; checks P1 ≥ 85, P2 ≥ 80, P3 ≥ 50, Q1 ≥ 85, Q2 ≤ 15
    _preschool_county(district)
    # when
    got = computed("county_xqpjph_unmet_count")
    # then TA: P1 80, Q1 71.4, Q2 17.8 unmet; TB all met; district P1 75, Q1 77.8 unmet (Q2 is
    # exactly 15, met); kindergartens have no population, so no count
    assert got == {
        "TA": (3.0, None, None, {"unmet": ["p1", "q1", "q2"]}),
        "TB": (0.0, None, None, {"unmet": []}),
        "D": (2.0, None, None, {"unmet": ["p1", "q1"]}),
    }


def test_town_seat_famous_teacher_lesson_rate_counts_lessons_up_to_the_year(district, town_a):
    import datetime as dt

    from ruraledu.activities.models import PublicLesson
    from ruraledu.indicators.engine import REGISTRY, Tree
    from ruraledu.indicators.services import compute_year
    from ruraledu.orgunits.tests.factories import SchoolFactory
    from ruraledu.spreadsheets.testing import new_id
    from ruraledu.workforce.models import StaffPerson

    # given three town-seat schools: one had a 名师课堂 last year, one only a 公开课, one a 名师课堂 next year
    seats = [
        SchoolFactory(
            org_unit__code=f"ST{i}",
            org_unit__parent=town_a,
            urban_rural_code="121",
            is_town_seat=True,
        )
        for i in range(3)
    ]
    teacher = StaffPerson(name="名师", sex="1")
    teacher.set_id_number(new_id(dt.date(1980, 1, 1)))
    teacher.save()
    PublicLesson.objects.create(
        school=seats[0], teacher=teacher, kind="famous", held_on=dt.date(2023, 10, 1)
    )
    PublicLesson.objects.create(
        school=seats[1], teacher=teacher, kind="public", held_on=dt.date(2024, 10, 1)
    )
    PublicLesson.objects.create(
        school=seats[2], teacher=teacher, kind="famous", held_on=dt.date(2025, 10, 1)
    )
    # when 2024 is computed
    rows, _ = compute_year(2024, [REGISTRY["town_seat_famous_teacher_lesson_rate"]], Tree())
    # then 1 of 3 schools counts (the 2025 lesson is in the future)
    value, numerator, denominator, _ = rows[("town_seat_famous_teacher_lesson_rate", town_a.pk)]
    assert (numerator, denominator) == (1, 3)
    assert value == pytest.approx(100 / 3)
