"""Every indicator of definitions/people.py, quality.py and special.py on small hand-made data.

Each test builds its own records and states, in comments, how the expected value, numerator and
denominator follow from them, at a school, a town and the district (D → towns TA, TB, and TC when
a town without any rural school is needed). School year 2024 unless a test says otherwise.

Conventions checked throughout:
- a person with two posts counts at each school where they hold a post, so the towns' numerators
  and denominators add up to the district's;
- a unit with no records of the source an indicator requires (a school with no students, no
  staff) gets no value; a unit whose denominator is 0 gets value None with 0/0;
- a town without a unit in the indicator's scope (TC has no rural school) gets no value.
"""

import datetime as dt
import math
import statistics
from decimal import Decimal
from types import SimpleNamespace

import pytest

from ruraledu.activities.choices import Level, Programme, TrainingKind
from ruraledu.activities.models import (
    CityTrip,
    InternPlacement,
    Nomination,
    PublicLesson,
    SchoolLink,
    Training,
)
from ruraledu.indicators.definitions.quality import weighted_cv
from ruraledu.indicators.models import Standard
from ruraledu.orgunits.choices import OrgUnitKind, Ownership, SchoolStage
from ruraledu.students.choices import FamilyStatus, Transport
from ruraledu.workforce.choices import BackboneLevel, Degree, Honour, Position, Subject

from ._people_data import (
    YEAR,
    absent,
    campus,
    check,
    compute,
    details,
    facility,
    post,
    pupils,
    raw,
    school,
    school_of,
    staff,
    teacher,
    town,
)


@pytest.fixture
def world(district, town_a, town_b, school_a, school_b):
    """D → TA (SA rural 220, SA2 rural 121 that never has students or staff), TB (SB rural 220),
    TC (only UC, an urban 111 school: a town with no rural school)."""
    tc = town(district, "TC")
    return SimpleNamespace(
        d=district,
        ta=town_a,
        tb=town_b,
        tc=tc,
        sa=school_a,
        sa2=school(town_a, "SA2", urban_rural="121"),
        sb=school_b,
        uc=school(tc, "UC", urban_rural="111"),
    )


def set_standard(code: str, stage: str, value: float) -> None:
    """The bureau edits a figure of the Standard table (seeded by migration 0002)."""
    assert Standard.objects.filter(code=code, stage=stage).update(value=value) == 1


# ============================================================================ people.py: students


def test_mentor_rate(world):
    code = "rural_student_mentor_rate"
    mentor = staff()
    pupils(world.sa, 3, mentor=mentor)
    pupils(world.sa, 1)
    pupils(world.sb, 2)
    pupils(world.uc, 5, mentor=mentor)  # urban: outside the scope
    rows = compute(code)
    check(rows, code, world.sa, 75.0, 3, 4)  # 3 of SA's 4 pupils have a mentor
    check(rows, code, world.ta, 75.0, 3, 4)  # SA2 has no pupils: adds nothing
    check(rows, code, world.sb, 0.0, 0, 2)
    check(rows, code, world.tb, 0.0, 0, 2)
    check(rows, code, world.d, 50.0, 3, 6)  # (3 + 0) / (4 + 2)
    assert absent(rows, code, world.sa2)  # a school with no students: no value
    assert absent(rows, code, world.tc)  # a town with no rural school: no value
    assert absent(rows, code, world.uc)


def test_school_lunch_rate(world):
    code = "school_lunch_served_rate"
    pupils(world.sa, 2, lunch_needed=True, lunch_served=True)
    pupils(world.sa, 1, lunch_needed=True)
    pupils(world.sa, 1, lunch_served=True)  # served without a need: neither part
    pupils(world.sb, 2)  # nobody at SB needs lunch: 0/0
    pupils(world.uc, 3, lunch_needed=True)  # urban
    rows = compute(code)
    check(rows, code, world.sa, 200 / 3, 2, 3)
    check(rows, code, world.ta, 200 / 3, 2, 3)
    check(rows, code, world.sb, None, 0, 0)
    check(rows, code, world.tb, None, 0, 0)
    check(rows, code, world.d, 200 / 3, 2, 3)
    assert absent(rows, code, world.sa2) and absent(rows, code, world.tc)


def test_transport_over_2_km_excludes_exactly_2_km(world):
    code = "rural_day_student_transport_rate"
    km = Decimal
    pupils(world.sa, distance_km=km("2.0"), transport=Transport.SCHOOL_BUS)  # 2.0 is not > 2
    pupils(world.sa, distance_km=km("2.1"), transport=Transport.SCHOOL_BUS)  # num, den
    pupils(
        world.sa, distance_km=km("12.5"), transport=Transport.FAMILY
    )  # den (12.5 > 2 as a number)
    pupils(world.sa, distance_km=km("5.0"), boarding=True)  # a boarder: neither
    pupils(world.sa, distance_km=None, transport=Transport.SCHOOL_BUS)  # distance unknown: neither
    pupils(world.sa, distance_km=km("3.0"), transport=Transport.PUBLIC_BUS)  # num, den
    pupils(world.sb, distance_km=km("2.0"), transport=Transport.WALK)  # neither
    pupils(world.sb, distance_km=km("4.0"), transport=Transport.WALK)  # den
    pupils(world.uc, distance_km=km("5.0"))  # urban
    rows = compute(code)
    check(rows, code, world.sa, 200 / 3, 2, 3)  # 2.1 and 3.0 served / 2.1, 12.5, 3.0
    check(rows, code, world.ta, 200 / 3, 2, 3)
    check(rows, code, world.sb, 0.0, 0, 1)
    check(rows, code, world.tb, 0.0, 0, 1)
    check(rows, code, world.d, 50.0, 2, 4)
    assert absent(rows, code, world.sa2) and absent(rows, code, world.tc)


def trip(at, held_on: dt.date, *students) -> None:
    """A city trip held by school `at` on `held_on` (its school year follows from the date)."""
    outing = CityTrip.objects.create(school=at, held_on=held_on, title=f"研学{held_on}")
    outing.participants.add(*(e.person for e in students))


def test_city_trip_windows_for_grades_6_and_9(world):
    code = "rural_student_city_trip_rate"
    sj = school(world.tb, "SJ", stage=SchoolStage.JUNIOR)
    # grade 6 (2024): a trip in school years 2019 … 2024 counts (the six primary years)
    (g6a,) = pupils(world.sa, grade=6)
    (g6b,) = pupils(world.sa, grade=6)
    pupils(world.sa, grade=6)  # never went
    (g6d,) = pupils(world.sa, grade=6)
    (g5,) = pupils(world.sa, grade=5)  # not a finishing grade: neither part
    trip(world.sa, dt.date(2019, 10, 15), g6a)  # school year 2019 = 2024 − 5: counts
    trip(world.sa, dt.date(2019, 5, 20), g6b)  # school year 2018 = 2024 − 6: too early
    trip(world.sa, dt.date(2025, 6, 1), g6d, g5)  # school year 2024: counts
    # grade 9 (2024): a trip in school years 2022 … 2024 counts (the three junior years)
    (g9a,) = pupils(sj, grade=9)
    (g9b,) = pupils(sj, grade=9)
    (g9c,) = pupils(sj, grade=9)
    (g9d,) = pupils(sj, grade=9)
    pupils(sj, grade=9)  # never went
    (g8,) = pupils(sj, grade=8)
    trip(sj, dt.date(2022, 11, 1), g9a, g8)  # school year 2022 = 2024 − 2: counts
    trip(sj, dt.date(2022, 3, 1), g9b)  # school year 2021, i.e. in primary school: no
    trip(sj, dt.date(2024, 12, 1), g9c)  # counts
    trip(sj, dt.date(2025, 9, 15), g9d)  # school year 2025: after this year, no
    pupils(world.sb, grade=3)  # SB has no finishing grade: 0/0
    (urban,) = pupils(world.uc, grade=6)
    trip(world.uc, dt.date(2024, 10, 1), urban)  # urban: outside the scope
    rows = compute(code)
    check(rows, code, world.sa, 50.0, 2, 4)  # g6a, g6d of 4 in grade 6
    check(rows, code, world.ta, 50.0, 2, 4)
    check(rows, code, sj, 40.0, 2, 5)  # g9a, g9c of 5 in grade 9
    check(rows, code, world.sb, None, 0, 0)
    check(rows, code, world.tb, 40.0, 2, 5)
    check(rows, code, world.d, 400 / 9, 4, 9)
    assert absent(rows, code, world.sa2) and absent(rows, code, world.tc)


def test_priority_student_aid_rate(world):
    code = "priority_student_aid_rate"  # every school, urban ones too
    pupils(world.sa, orphan=True, aid_received=True)  # num, den
    pupils(world.sa, left_behind=True)  # den
    pupils(world.sa, family_status=FamilyStatus.MONITORED, aid_received=True)  # num, den
    pupils(world.sa, unattended=True, hardship=True, aid_received=True)  # once: num, den
    pupils(world.sa, aid_received=True)  # not a priority category: neither
    pupils(world.sb)  # 0/0
    pupils(world.uc, disability=True)  # den (urban schools count here)
    rows = compute(code)
    check(rows, code, world.sa, 75.0, 3, 4)
    check(rows, code, world.ta, 75.0, 3, 4)
    check(rows, code, world.sb, None, 0, 0)
    check(rows, code, world.tb, None, 0, 0)
    check(rows, code, world.uc, 0.0, 0, 1)
    check(rows, code, world.tc, 0.0, 0, 1)
    check(rows, code, world.d, 60.0, 3, 5)
    assert absent(rows, code, world.sa2)


# ============================================================================ people.py: staff


def test_principals_under_45_on_1_september(world):
    code = "rural_principal_under45_rate"
    kb = school(world.tb, "KB", stage=SchoolStage.KINDERGARTEN)
    # 2024: under 45 on 2024-09-01 means born after 1979-09-01
    vp = Position.VICE_PRINCIPAL
    teacher(world.sa, position=Position.PRINCIPAL, birth=dt.date(1979, 9, 2))  # 44: num, den
    teacher(world.sa, position=vp, birth=dt.date(1979, 9, 1))  # 45 that day: den
    teacher(world.sa, birth=dt.date(1995, 1, 1))  # a teacher: neither
    teacher(world.sb, position=Position.PRINCIPAL, birth=dt.date(1979, 8, 31))  # 45: den
    teacher(world.sb, position=vp, birth=dt.date(1985, 1, 1))  # num, den
    teacher(kb, position=Position.KG_PRINCIPAL, birth=dt.date(1990, 1, 1))  # 园长: num, den
    teacher(kb, position=Position.KG_VICE_PRINCIPAL, birth=None)  # age unknown: den
    both = staff(dt.date(1982, 1, 1))  # vice principal of SA and of SB: counts at each
    post(both, world.sa, position=vp)
    post(both, world.sb, position=vp)
    teacher(world.uc, position=Position.PRINCIPAL, birth=dt.date(1990, 1, 1))  # urban
    rows = compute(code)
    check(rows, code, world.sa, 200 / 3, 2, 3)  # 1979-09-02 and `both` / three leaders
    check(rows, code, world.sb, 200 / 3, 2, 3)  # 1985 and `both` / three leaders
    check(rows, code, kb, 50.0, 1, 2)
    check(rows, code, world.ta, 200 / 3, 2, 3)
    check(rows, code, world.tb, 60.0, 3, 5)
    # the towns add up to the district: 7 people, 8 posts
    check(rows, code, world.d, 62.5, 5, 8)
    assert absent(rows, code, world.sa2) and absent(rows, code, world.tc)


def test_backbone_principal_rotation_training(world):
    code = "rural_backbone_principal_training_rate"
    vp = Position.VICE_PRINCIPAL
    # 2024: the cycle is school years 2022–2024, i.e. 2022-09-01 … 2025-08-31

    def trained(leader, day, level=Level.COUNTY, kind=TrainingKind.ROTATION):
        Training.objects.create(
            person=leader.person, level=level, kind=kind, cycle="2022-2024", held_on=day
        )

    p1 = teacher(world.sa, position=Position.PRINCIPAL, honour=Honour.FAMOUS_PRINCIPAL)
    trained(p1, dt.date(2022, 9, 1))  # first day of the cycle: num, den
    v1 = teacher(world.sa, position=vp, honour=Honour.BACKBONE)
    trained(v1, dt.date(2024, 10, 10), level=Level.PROVINCE)  # provincial: den only
    v2 = teacher(world.sa, position=vp)  # no honour: not a 骨干 principal, neither
    trained(v2, dt.date(2024, 10, 10))
    p2 = teacher(world.sb, position=Position.PRINCIPAL, honour=Honour.BACKBONE)
    trained(p2, dt.date(2022, 8, 31), level=Level.CITY)  # the day before the cycle: den
    v3 = teacher(world.sb, position=vp, honour=Honour.SUBJECT_LEADER)
    trained(v3, dt.date(2024, 11, 11), level=Level.CITY, kind=TrainingKind.TOPIC)  # not 轮训
    trained(v3, dt.date(2025, 8, 31))  # last day of the cycle: num, den
    both = staff()
    post(both, world.sa, position=vp, honour=Honour.BACKBONE)
    trained(post(both, world.sb, position=vp, honour=Honour.BACKBONE), dt.date(2023, 5, 5))
    urban = teacher(world.uc, position=Position.PRINCIPAL, honour=Honour.BACKBONE)
    trained(urban, dt.date(2024, 10, 10))
    rows = compute(code)
    check(rows, code, world.sa, 200 / 3, 2, 3)  # p1, both / p1, v1, both
    check(rows, code, world.sb, 200 / 3, 2, 3)  # v3, both / p2, v3, both
    check(rows, code, world.ta, 200 / 3, 2, 3)
    check(rows, code, world.tb, 200 / 3, 2, 3)
    check(rows, code, world.d, 200 / 3, 4, 6)
    assert absent(rows, code, world.sa2) and absent(rows, code, world.tc)


def test_rural_compulsory_teacher_bachelor_rate(world):
    code = "rural_compulsory_teacher_bachelor_rate"
    kb = school(world.tb, "KB", stage=SchoolStage.KINDERGARTEN)
    teacher(world.sa, degree=Degree.POSTGRADUATE)  # num, den
    teacher(world.sa, degree=Degree.BACHELOR)  # num, den
    teacher(world.sa, degree=Degree.COLLEGE)  # den
    teacher(world.sa, degree=Degree.BACHELOR, is_full_time_teacher=False)  # not 专任: neither
    teacher(world.sb, degree=Degree.COLLEGE)  # den
    both = staff()
    post(both, world.sa, degree=Degree.BACHELOR)
    post(both, world.sb, degree=Degree.BACHELOR)
    teacher(kb, degree=Degree.BACHELOR)  # a kindergarten is not compulsory: neither
    teacher(world.uc, degree=Degree.BACHELOR)  # urban
    rows = compute(code)
    check(rows, code, world.sa, 75.0, 3, 4)
    check(rows, code, world.sb, 50.0, 1, 2)
    check(rows, code, world.ta, 75.0, 3, 4)
    check(rows, code, world.tb, 50.0, 1, 2)
    check(rows, code, world.d, 200 / 3, 4, 6)
    assert absent(rows, code, kb) and absent(rows, code, world.tc)


def test_rural_kindergarten_teacher_college_rate(world):
    code = "rural_kindergarten_teacher_college_rate"
    ka = school(world.ta, "KA", stage=SchoolStage.KINDERGARTEN)
    kb = school(world.tb, "KB", stage=SchoolStage.KINDERGARTEN)
    uk = school(world.tc, "UK", stage=SchoolStage.KINDERGARTEN, urban_rural="111")
    teacher(ka, degree=Degree.COLLEGE)  # num, den
    teacher(ka, degree=Degree.SECONDARY)  # den
    teacher(ka, degree=Degree.BACHELOR)  # num, den
    teacher(ka, degree=Degree.COLLEGE, is_full_time_teacher=False)  # neither
    teacher(kb, degree=Degree.BELOW)  # den
    both = staff()
    post(both, ka, degree=Degree.COLLEGE)
    post(both, kb, degree=Degree.COLLEGE)
    teacher(world.sa, degree=Degree.COLLEGE)  # a primary school: neither
    teacher(uk, degree=Degree.COLLEGE)  # urban
    rows = compute(code)
    check(rows, code, ka, 75.0, 3, 4)
    check(rows, code, kb, 50.0, 1, 2)
    check(rows, code, world.ta, 75.0, 3, 4)
    check(rows, code, world.tb, 50.0, 1, 2)
    check(rows, code, world.d, 200 / 3, 4, 6)
    assert absent(rows, code, world.sa) and absent(rows, code, world.tc)


def test_town_public_kindergarten_tenured_rate(world):
    code = "town_public_kindergarten_tenured_teacher_rate"
    kg = SchoolStage.KINDERGARTEN
    ka = school(world.ta, "KA", stage=kg)
    kp = school(world.ta, "KP", stage=kg, ownership=Ownership.PRIVATE)
    kb = school(world.tb, "KB", stage=kg)
    uk = school(world.tc, "UK", stage=kg, urban_rural="111")  # under a town: in scope
    sd = town(world.d, "SD", kind=OrgUnitKind.SUBDISTRICT)
    ks = school(sd, "KS", stage=kg, urban_rural="111")  # under a 街道: not a town's
    teacher(ka, is_establishment=True)  # num, den
    teacher(ka, is_establishment=False)  # den
    teacher(ka, is_establishment=True, is_full_time_teacher=False)  # neither
    teacher(kp, is_establishment=True)  # private: neither
    teacher(kb, is_establishment=True)  # num, den
    teacher(uk, is_establishment=False)  # den
    teacher(ks, is_establishment=True)  # neither
    rows = compute(code)
    check(rows, code, ka, 50.0, 1, 2)
    check(rows, code, world.ta, 50.0, 1, 2)
    check(rows, code, kb, 100.0, 1, 1)
    check(rows, code, world.tb, 100.0, 1, 1)
    check(rows, code, uk, 0.0, 0, 1)
    check(rows, code, world.tc, 0.0, 0, 1)
    check(rows, code, world.d, 50.0, 2, 4)
    assert absent(rows, code, kp) and absent(rows, code, ks) and absent(rows, code, sd)


def test_new_teacher_bound_appointment_rate(world):
    code = "new_teacher_bound_appointment_rate"  # every school; new = hired 2023 or later
    teacher(world.sa, hired_year=2023, bound_appointment=True)  # num, den
    teacher(world.sa, hired_year=2024)  # den
    teacher(world.sa, hired_year=2022, bound_appointment=True)  # before the policy: neither
    teacher(world.sa, hired_year=None, bound_appointment=True)  # unknown: neither
    teacher(world.sa, hired_year=2024, bound_appointment=True, is_full_time_teacher=False)
    teacher(world.uc, hired_year=2024, bound_appointment=True)  # num, den
    rows = compute(code)
    check(rows, code, world.sa, 50.0, 1, 2)
    check(rows, code, world.ta, 50.0, 1, 2)
    check(rows, code, world.uc, 100.0, 1, 1)
    check(rows, code, world.tc, 100.0, 1, 1)
    check(rows, code, world.d, 200 / 3, 2, 3)
    assert absent(rows, code, world.sb) and absent(rows, code, world.tb)  # no staff on file


def test_teacher_dormitory_rate(world):
    code = "rural_teacher_dormitory_rate"
    teacher(world.sa, needs_dormitory=True, has_dormitory=True)  # num, den
    teacher(world.sa, needs_dormitory=True)  # den
    teacher(world.sa, has_dormitory=True)  # has one without needing it: neither
    teacher(world.sb)  # 0/0
    teacher(world.uc, needs_dormitory=True)  # urban
    rows = compute(code)
    check(rows, code, world.sa, 50.0, 1, 2)
    check(rows, code, world.ta, 50.0, 1, 2)
    check(rows, code, world.sb, None, 0, 0)
    check(rows, code, world.tb, None, 0, 0)
    check(rows, code, world.d, 50.0, 1, 2)
    assert absent(rows, code, world.sa2) and absent(rows, code, world.tc)


def test_teacher_health_check_rate_counts_a_two_post_teacher_at_both_schools(world):
    code = "rural_teacher_health_check_rate"
    teacher(world.sa, health_check=True)
    teacher(world.sa, health_check=True, position=Position.STAFF, is_full_time_teacher=False)
    teacher(world.sa)
    teacher(world.sb)
    both = staff()
    post(both, world.sa, health_check=True)
    post(both, world.sb, health_check=True)
    teacher(world.uc, health_check=True)  # urban
    rows = compute(code)
    check(rows, code, world.sa, 75.0, 3, 4)  # every member of staff counts, not only teachers
    check(rows, code, world.sb, 50.0, 1, 2)
    check(rows, code, world.ta, 75.0, 3, 4)
    check(rows, code, world.tb, 50.0, 1, 2)
    # five people but six posts: the district is the sum of its towns
    check(rows, code, world.d, 200 / 3, 4, 6)
    assert absent(rows, code, world.sa2) and absent(rows, code, world.tc)


def test_township_allowance_rate(world):
    code = "rural_teacher_township_allowance_rate"
    eligible = {"town_allowance_eligible": True}
    teacher(world.sa, **eligible, town_allowance_received=True)  # num, den
    teacher(world.sa, **eligible)  # den
    teacher(world.sa, town_allowance_received=True)  # not eligible: neither
    teacher(world.sb, **eligible, town_allowance_received=True)  # num, den
    both = staff()  # paid for the post at SA, not for the one at SB
    post(both, world.sa, **eligible, town_allowance_received=True)
    post(both, world.sb, **eligible)
    teacher(world.uc, **eligible)  # urban
    rows = compute(code)
    check(rows, code, world.sa, 200 / 3, 2, 3)
    check(rows, code, world.sb, 50.0, 1, 2)
    check(rows, code, world.ta, 200 / 3, 2, 3)
    check(rows, code, world.tb, 50.0, 1, 2)
    check(rows, code, world.d, 60.0, 3, 5)
    assert absent(rows, code, world.sa2) and absent(rows, code, world.tc)


def test_researchers_and_backbone_teachers_linked_to_a_rural_school(world):
    code = "staff_rural_school_link_rate"  # every school (researchers sit in urban ones too)

    def link(who, to, year=YEAR):
        SchoolLink.objects.create(person=who.person, school=to, year=year)

    r1 = teacher(world.uc, position=Position.RESEARCHER, is_researcher=True)
    link(r1, world.sa)  # num, den
    r2 = teacher(world.uc, position=Position.RESEARCHER, is_researcher=True)
    link(r2, world.sa, year=2023)  # last year's link only: den
    t1 = teacher(world.uc, honour=Honour.BACKBONE)
    link(t1, world.uc)  # linked to an urban school only: den
    fp = teacher(world.uc, honour=Honour.FAMOUS_PRINCIPAL)
    link(fp, world.sa)  # 名校长 is not in the group: neither
    t2 = teacher(world.sa, honour=Honour.SUBJECT_LEADER)
    link(t2, world.sb)  # num, den
    plain = teacher(world.sa)
    link(plain, world.sb)  # no honour: neither
    both = staff()
    post(both, world.sa, honour=Honour.BACKBONE)
    link(post(both, world.sb, honour=Honour.BACKBONE), world.sa)  # num, den at SA and at SB
    rows = compute(code)
    check(rows, code, world.uc, 100 / 3, 1, 3)
    check(rows, code, world.tc, 100 / 3, 1, 3)
    check(rows, code, world.sa, 100.0, 2, 2)
    check(rows, code, world.ta, 100.0, 2, 2)
    check(rows, code, world.sb, 100.0, 1, 1)
    check(rows, code, world.tb, 100.0, 1, 1)
    check(rows, code, world.d, 200 / 3, 4, 6)
    assert absent(rows, code, world.sa2)


def test_five_open_lessons_at_town_seat_schools(world):
    code = "staff_town_seat_open_lesson_rate"
    ss = school(world.ta, "SS", town_seat=True)  # the 镇驻地 school where lessons are given
    days = iter(dt.date(2024, 9, 2) + dt.timedelta(days=i) for i in range(100))

    def lessons(who, n, kind="public", at=ss, day=None):
        for _ in range(n):
            PublicLesson.objects.create(
                teacher=who.person, school=at, held_on=day or next(days), kind=kind
            )

    t1 = teacher(world.sa, honour=Honour.BACKBONE)
    lessons(t1, 2)
    lessons(t1, 2, "demonstration")
    lessons(t1, 1, "famous")  # exactly 5: num, den
    t2 = teacher(world.sa, honour=Honour.FAMOUS_TEACHER)
    lessons(t2, 4)
    lessons(t2, 1, "outreach")  # 送教 does not count: 4, den
    t3 = teacher(world.sb, honour=Honour.BACKBONE)
    lessons(t3, 3)
    lessons(t3, 2, at=world.sb)  # SB is not a 镇驻地 school
    for i in range(5):  # school year 2023: not this year's
        lessons(t3, 1, day=dt.date(2024, 3, 1 + i))
    t4 = teacher(world.sb, honour=Honour.SUBJECT_LEADER)
    lessons(t4, 6)  # 学科带头人 is not in the group: neither
    both = staff()
    post(both, world.sa, honour=Honour.BACKBONE)
    lessons(post(both, world.sb, honour=Honour.BACKBONE), 6)  # num, den at SA and at SB
    rows = compute(code)
    check(rows, code, world.sa, 200 / 3, 2, 3)  # t1, both / t1, t2, both
    check(rows, code, world.sb, 50.0, 1, 2)  # both / t3, both
    check(rows, code, world.ta, 200 / 3, 2, 3)  # SS has no staff of its own
    check(rows, code, world.tb, 50.0, 1, 2)
    check(rows, code, world.d, 60.0, 3, 5)
    assert absent(rows, code, ss) and absent(rows, code, world.tc)


def test_young_teacher_nominations_count_at_the_school_of_this_years_post(world):
    code = "rural_young_teacher_nominee_count"  # a count: no denominator
    young = Programme.YOUNG_TEACHER

    def nominate(person, level=Level.PROVINCE, year=YEAR, programme=young):
        Nomination.objects.create(person=person, programme=programme, level=level, year=year)

    nominate(teacher(world.sa).person)  # counts at SA
    nominate(teacher(world.sa).person, level=Level.CITY)  # city level: no
    nominate(teacher(world.sa).person, year=2023)  # last year's: no
    nominate(teacher(world.sa).person, programme=Programme.FAMOUS_TEACHER)  # other plan: no
    both = staff()
    post(both, world.sa)
    post(both, world.sb)
    nominate(both, level=Level.NATIONAL)  # counts at SA and at SB
    moved = staff()
    post(moved, world.sb, year=2023)
    post(moved, world.sa)
    nominate(moved, level=Level.NATIONAL)  # at SA in 2024: counts at SA only
    nominate(teacher(world.uc).person)  # urban
    rows = compute(code)
    check(rows, code, world.sa, 3, 3, None)
    check(rows, code, world.sb, 1, 1, None)
    check(rows, code, world.sa2, 0, 0, None)  # no requirement: every rural school has a count
    check(rows, code, world.ta, 3, 3, None)
    check(rows, code, world.tb, 1, 1, None)
    check(rows, code, world.d, 4, 4, None)
    assert absent(rows, code, world.tc) and absent(rows, code, world.uc)


def test_student_teacher_intern_count(world):
    code = "rural_student_teacher_intern_count"

    def intern(at, name, year=YEAR):
        InternPlacement.objects.create(
            school=at, year=year, name=name, university="师范大学", started_on=dt.date(year, 9, 1)
        )

    intern(world.sa, "甲")
    intern(world.sa, "乙")
    intern(world.sa, "丙", year=2023)  # last year
    intern(world.sb, "丁")
    intern(world.uc, "戊")  # urban
    rows = compute(code)
    check(rows, code, world.sa, 2, 2, None)
    check(rows, code, world.sa2, 0, 0, None)
    check(rows, code, world.ta, 2, 2, None)
    check(rows, code, world.sb, 1, 1, None)
    check(rows, code, world.tb, 1, 1, None)
    check(rows, code, world.d, 3, 3, None)
    assert absent(rows, code, world.tc) and absent(rows, code, world.uc)


def test_staff_posted_at_a_teaching_point_campus_count_for_the_school(world):
    code = "rural_teacher_health_check_rate"
    point = campus(world.sa, "SA-TP")
    teacher(world.sa, health_check=True)
    teacher(point, health_check=False)  # works at SA's teaching point: one of SA's staff
    rows = compute(code)
    check(rows, code, world.sa, 50.0, 1, 2)  # 1 checked of SA's 2 (one at its campus)
    check(rows, code, world.ta, 50.0, 1, 2)
    check(rows, code, world.d, 50.0, 1, 2)


# ============================================================================ special.py


def test_post_vacancies_are_counted_per_school_without_offsetting_surpluses(world):
    code = "rural_teacher_post_vacancy_count"
    sn = school(world.tb, "SN")
    facility(world.sa, establishment_posts=10)
    for _ in range(7):
        teacher(world.sa)
    teacher(world.sa, is_establishment=False)  # not 在编: does not fill a post
    facility(world.sb, establishment_posts=3)
    for _ in range(4):
        teacher(world.sb)
    both = staff()  # 在编 at both schools: fills one post at each
    post(both, world.sa)
    post(both, world.sb)
    facility(world.sa2, establishment_posts=5)  # no staff on file: missing data, no value
    teacher(sn)  # no facility record (no 核定编制数): no value
    facility(world.uc, establishment_posts=10)  # urban
    rows = compute(code)
    check(rows, code, world.sa, 2, 2, None)  # 10 − (7 + 1)
    check(rows, code, world.sb, 0, 0, None)  # 3 − (4 + 1) = −2: over-staffed, no vacancy
    check(rows, code, world.ta, 2, 2, None)
    check(rows, code, world.tb, 0, 0, None)
    check(rows, code, world.d, 2, 2, None)  # 2 + 0, not 13 − 13 = 0
    for unit in (world.sa2, sn, world.tc, world.uc):
        assert absent(rows, code, unit)


def test_post_vacancies_count_staff_posted_at_a_campus_for_its_school(world):
    code = "rural_teacher_post_vacancy_count"
    point = campus(world.sa, "SA-TP")
    facility(world.sa, establishment_posts=10)  # the posts of the school, its teaching point too
    for _ in range(6):
        teacher(world.sa)
    teacher(point)
    teacher(point)  # two 在编 teachers work at the teaching point
    rows = compute(code)
    check(rows, code, world.sa, 2, 2, None)  # 10 − (6 + 2), not 10 − 6 = 4
    check(rows, code, world.ta, 2, 2, None)
    check(rows, code, world.d, 2, 2, None)
    assert absent(rows, code, point)  # the gap is the school's


def test_urban_rural_bachelor_ratio(world):
    code = "urban_rural_teacher_bachelor_ratio"
    ua = school(world.ta, "UA", urban_rural="111")
    kb = school(world.tb, "KB", stage=SchoolStage.KINDERGARTEN)
    for degree in (Degree.BACHELOR, Degree.POSTGRADUATE, Degree.COLLEGE, Degree.COLLEGE):
        teacher(world.sa, degree=degree)
    for degree in (Degree.BACHELOR, Degree.COLLEGE):
        teacher(world.sb, degree=degree)
    both = staff()
    post(both, world.sa)  # bachelor at SA and at SB
    post(both, world.sb)
    for degree in (Degree.BACHELOR, Degree.BACHELOR, Degree.BACHELOR, Degree.COLLEGE):
        teacher(ua, degree=degree)
    teacher(ua, is_full_time_teacher=False)  # not 专任: neither side
    teacher(world.uc)
    teacher(world.uc)
    teacher(kb, degree=Degree.COLLEGE)  # a kindergarten: neither side
    rows = compute(code)
    # TA: urban UA 3/4 = 0.75; rural SA 3/5 = 0.6 → 0.75 / 0.6 = 1.25; parts are the shares in %
    check(rows, code, world.ta, 1.25, 75.0, 60.0)
    # D: urban (3 + 2)/(4 + 2) = 5/6; rural (3 + 2)/(5 + 3) = 5/8 → (5/6)/(5/8) = 4/3
    check(rows, code, world.d, 4 / 3, 500 / 6, 62.5)
    assert details(rows, code, world.d) == {"urban": [5.0, 6.0], "rural": [5.0, 8.0]}
    # TB has no urban school and TC no rural one; a school is never both
    for unit in (world.tb, world.tc, world.sa, ua):
        assert absent(rows, code, unit)


def test_small_schools_and_teaching_points_against_the_2020_baseline(world):
    code = "rural_small_school_increase_since_2020"
    set_standard("small_school_size", "", 5)  # the bureau's figure: fewer than 5 students
    sn = school(world.tb, "SN")  # a new rural school
    point = campus(world.sb, "SB-TP")  # a teaching point of SB (counted in every year)
    # 2020
    pupils(world.sa, 6, year=2020)  # 6: not small
    pupils(world.sb, 3, year=2020)  # small
    # 2024
    pupils(world.sa, 3)  # small now
    pupils(world.sb, 3)  # small
    pupils(sn, 2)  # small
    sf = school(world.ta, "SF")
    pupils(sf, 5)  # exactly 5: not small
    pupils(world.uc, 1)  # urban
    # SA2 has no students at all: not a small school
    rows = compute(code)
    # now: SA; SB + its point; SN → TA 1, TB 3, D 4.  2020: SB + its point → TA 0, TB 2, D 2
    check(rows, code, world.sa, 1, 1, 0)
    check(rows, code, world.sb, 0, 2, 2)
    check(rows, code, point, 0, 1, 1)
    check(rows, code, sn, 1, 1, 0)
    check(rows, code, world.ta, 1, 1, 0)
    check(rows, code, world.tb, 1, 3, 2)
    check(rows, code, world.d, 2, 4, 2)
    assert details(rows, code, world.d) == {"baseline_year": 2020}
    for unit in (sf, world.sa2, world.tc, world.uc):
        assert absent(rows, code, unit)
    # the baseline year itself compares with itself
    rows = compute(code, year=2020)
    check(rows, code, world.d, 0, 2, 2)


def test_small_schools_use_the_size_a_unit_above_them_set_for_itself(world):
    code = "rural_small_school_increase_since_2020"
    set_standard("small_school_size", "", 5)  # the install's figure
    # town B's own figure (as a district among many sets its own): fewer than 3
    Standard.objects.create(
        code="small_school_size", stage="", unit=world.tb, value=3, name="小规模", source="文件"
    )
    pupils(world.sa, 3)  # under the install's 5: small
    pupils(world.sb, 3)  # not under B's own 3: not small
    rows = compute(code)
    check(rows, code, world.sa, 0, 1, 1)
    check(rows, code, world.d, 0, 1, 1)
    assert absent(rows, code, world.sb) and absent(rows, code, world.tb)


def test_small_schools_baseline_falls_back_to_the_earliest_year(world):
    code = "rural_small_school_increase_since_2020"
    pupils(world.sa, 3, year=2022)  # no 2020 data: 2022 is the baseline
    pupils(world.sa, 3)
    pupils(world.sb, 3)
    rows = compute(code)
    check(rows, code, world.d, 1, 2, 1)  # SA, SB now; SA in 2022 (size < 100 by default)
    check(rows, code, world.tb, 1, 1, 0)
    assert details(rows, code, world.d) == {"baseline_year": 2022}


def test_famous_teacher_share_against_the_province(world):
    code = "rural_famous_teacher_share_vs_province"

    def nominate(person, programme=Programme.FAMOUS_TEACHER, level=Level.CITY, year=YEAR):
        Nomination.objects.create(person=person, programme=programme, level=level, year=year)

    nominate(teacher(world.sa).person)  # rural
    both = staff()  # rural at two schools: counts twice
    post(both, world.sa)
    post(both, world.sb)
    nominate(both, Programme.FAMOUS_PRINCIPAL, Level.COUNTY)
    nominate(teacher(world.uc).person, level=Level.COUNTY)  # urban
    nominate(teacher(world.uc).person, level=Level.PROVINCE)  # provincial plan: no
    nominate(teacher(world.uc).person, Programme.YOUNG_TEACHER, Level.COUNTY)  # other plan: no
    nominate(teacher(world.sa).person, year=2023)  # last year: no
    rows = compute(code)
    # rural 3 of 4 → 0.75 against the province's 0.30 → 2.5; the district only
    check(rows, code, world.d, 2.5, 3, 4)
    assert details(rows, code, world.d) == {"province_share": 0.3}
    for unit in (world.ta, world.tb, world.tc, world.sa, world.sb):
        assert absent(rows, code, unit)
    set_standard("province_rural_famous_share", "", 0.5)  # the bureau's figure
    check(compute(code), code, world.d, 1.5, 3, 4)


# ============================================================================ quality.py: 差异系数


def test_weighted_cv_worked_by_hand_is_not_the_unweighted_cv():
    # three primary schools: enrolments P = 100, 300, 600 (P = ΣPᵢ = 1000), per-student X = 4, 5, 8
    # X̄ = ΣPᵢXᵢ/ΣPᵢ = (400 + 1500 + 4800)/1000 = 6.7
    # S² = Σ(Pᵢ/P)(Xᵢ − X̄)² = 0.1·(−2.7)² + 0.3·(−1.7)² + 0.6·1.3² = 0.729 + 0.867 + 1.014 = 2.61
    # S = √2.61 = 1.6155494…;  CV = S/X̄ = 1.6155494…/6.7 = 0.2411268…
    points = [(4, 100), (5, 300), (8, 600)]
    cv = weighted_cv(points)
    assert cv == pytest.approx(math.sqrt(2.61) / 6.7, rel=1e-9)
    assert cv == pytest.approx(0.2411268, abs=1e-7)
    # the unweighted CV of 4, 5, 8: mean 17/3, population SD √26/3 → √26/17 = 0.29994…,
    # sample SD √(13/3) → 0.36735…; neither is the method's figure
    xs = [4, 5, 8]
    unweighted = statistics.pstdev(xs) / statistics.mean(xs)
    assert unweighted == pytest.approx(math.sqrt(26) / 17, rel=1e-12)
    assert cv != pytest.approx(unweighted, rel=1e-3)
    assert cv != pytest.approx(statistics.stdev(xs) / statistics.mean(xs), rel=1e-3)
    # with equal enrolments the weighted CV is the (population) unweighted one
    assert weighted_cv([(4, 7), (5, 7), (8, 7)]) == pytest.approx(math.sqrt(26) / 17, rel=1e-9)
    # only the shares Pᵢ/P matter
    assert weighted_cv([(4, 1), (5, 3), (8, 6)]) == pytest.approx(cv, rel=1e-12)


def test_weighted_cv_edge_cases():
    assert weighted_cv([]) is None
    assert weighted_cv([(4.0, 100)]) is None  # one school: no difference to measure
    assert weighted_cv([(4.0, 100), (9.0, 0)]) is None  # a part with no students is left out
    assert weighted_cv([(0.0, 10), (0.0, 20)]) is None  # X̄ = 0: undefined
    assert weighted_cv([(5.0, 10), (5.0, 20)]) == 0.0


def test_primary_cv_of_three_schools_through_the_engine(district, town_a, town_b):
    # the hand example above as registry data: R4 areas 400, 1500, 4800 ㎡ for 100, 300, 600
    for code, parent, n, area in (
        ("P1", town_a, 100, 400),
        ("P2", town_a, 300, 1500),
        ("P3", town_b, 600, 4800),
    ):
        s = school(parent, code)
        pupils(s, n)
        facility(s, teaching_area=area)
    values = raw("yzjh_cv_r4_primary")
    value, numerator, denominator, info = values[district.pk]
    assert value == pytest.approx(math.sqrt(2.61) / 6.7, rel=1e-9)  # 0.2411268…
    assert (numerator, denominator) == (None, None)
    assert info == {"schools": 3, "limit": 0.5, "mark": "pass"}
    # TA: P = 100, 300, X = 4, 5 → X̄ = 1900/400 = 4.75; S² = 0.25·0.75² + 0.75·0.25² = 0.1875;
    # CV = √0.1875/4.75 = 0.0911606…
    assert values[town_a.pk][0] == pytest.approx(math.sqrt(0.1875) / 4.75, rel=1e-9)
    # TB holds a single school: no 差异系数; a school has none either
    assert set(values) == {district.pk, town_a.pk}
    assert raw("yzjh_cv_r4_junior") == {}  # no junior school at all
    # stored (rounded to 9 places) through compute_year
    check(compute("yzjh_cv_r4_primary"), "yzjh_cv_r4_primary", district, 0.241126782, None, None)
    # X̄ is the district's per-student figure
    check(compute("yzjh_r4"), "yzjh_r4", district, 6.7, 6700, 1000)


def test_nine_year_school_counts_in_each_part_with_that_parts_enrolment(district, town_a, town_b):
    p = school(town_a, "P")
    pupils(p, 30, grade=4)
    facility(p, teaching_area=120)  # X = 4.0
    j = school(town_a, "J", stage=SchoolStage.JUNIOR)
    pupils(j, 20, grade=8)
    facility(j, teaching_area=100)  # X = 5.0
    n = school(town_b, "N", stage=SchoolStage.NINE_YEAR)
    pupils(n, 10, grade=3)  # primary part
    pupils(n, 30, grade=7)  # junior part
    facility(n, teaching_area=320)  # X = 320/40 = 8.0 for both parts
    # primary: (4.0, P=30), (8.0, P=10): X̄ = (120 + 80)/40 = 5.0;
    #   S² = 0.75·(−1)² + 0.25·3² = 3.0; CV = √3/5 = 0.3464102…
    # junior: (5.0, P=20), (8.0, P=30): X̄ = (100 + 240)/50 = 6.8;
    #   S² = 0.4·(−1.8)² + 0.6·1.2² = 1.296 + 0.864 = 2.16; CV = √2.16/6.8 = 0.2161314…
    primary, junior = raw("yzjh_cv_r4_primary"), raw("yzjh_cv_r4_junior")
    assert primary[district.pk][0] == pytest.approx(math.sqrt(3) / 5, rel=1e-9)
    assert junior[district.pk][0] == pytest.approx(math.sqrt(2.16) / 6.8, rel=1e-9)
    assert primary[district.pk][3] == {"schools": 2, "limit": 0.5, "mark": "pass"}
    assert junior[district.pk][3] == {"schools": 2, "limit": 0.45, "mark": "pass"}
    # weighing N by all its 40 students would be another figure
    assert primary[district.pk][0] != pytest.approx(weighted_cv([(4, 30), (8, 40)]), rel=1e-3)
    assert junior[district.pk][0] != pytest.approx(weighted_cv([(5, 20), (8, 40)]), rel=1e-3)
    # each town has a single school per part: no town values
    assert set(primary) == set(junior) == {district.pk}
    # N's own standard is the enrolment-weighted mix of both: (4.5·10 + 5.8·30)/40 = 5.475
    rows = compute("yzjh_r4")
    check(rows, "yzjh_r4", n, 8.0, 320, 40)
    assert details(rows, "yzjh_r4", n) == {"threshold": 5.475, "mark": "pass"}


def test_complete_secondary_school_weighs_by_its_junior_enrolment(district, town_a, town_b):
    j = school(town_a, "J", stage=SchoolStage.JUNIOR)
    pupils(j, 20, grade=8)
    facility(j, teaching_area=100)  # X = 5.0
    w = school(town_b, "W", stage=SchoolStage.COMPLETE_SECONDARY)  # 完全中学
    pupils(w, 30, grade=8)
    pupils(w, 50, grade=11)  # senior high: not in the compulsory 差异系数 weight
    facility(w, teaching_area=640)  # its rooms serve all 80: X = 8.0
    # junior: (5.0, 20), (8.0, 30) → X̄ 6.8, CV = √2.16/6.8 as in the nine-year example
    junior = raw("yzjh_cv_r4_junior")
    assert junior[district.pk][0] == pytest.approx(math.sqrt(2.16) / 6.8, rel=1e-9)
    assert raw("yzjh_cv_r4_primary") == {}
    rows = compute("yzjh_r4")
    check(rows, "yzjh_r4", w, 8.0, 640, 80)
    assert details(rows, "yzjh_r4", w) == {"threshold": 5.8, "mark": "pass"}


# ============================================================================ quality.py: R1–R7


@pytest.fixture
def resources(district, town_a, town_b):
    """P (primary, TA), J (junior, TA), N (nine-year, TB) with their staff and facilities; E (TA)
    has facilities and staff but no students; SP (TB) is a special school."""
    p = school(town_a, "P")
    pupils(p, 20, grade=2)
    j = school(town_a, "J", stage=SchoolStage.JUNIOR)
    pupils(j, 25, grade=7)
    n = school(town_b, "N", stage=SchoolStage.NINE_YEAR)
    pupils(n, 10, grade=3)
    pupils(n, 30, grade=8)
    county, city = BackboneLevel.COUNTY, BackboneLevel.CITY
    # P (小学: 专科 and above is above the required degree)
    teacher(
        p,
        degree=Degree.BACHELOR,
        subject=Subject.MATHS,
        honour=Honour.BACKBONE,
        honour_level=county,
    )  # R1 R2
    teacher(p, degree=Degree.COLLEGE, subject=Subject.PE)  # R1 R3
    teacher(p, degree=Degree.SECONDARY, subject=Subject.MUSIC)  # R3
    teacher(
        p,
        is_full_time_teacher=False,
        position=Position.STAFF,
        honour=Honour.FAMOUS_TEACHER,
        honour_level=city,
    )  # not a 专任 teacher: no R2
    teacher(
        p,
        is_full_time_teacher=False,
        is_researcher=True,
        honour=Honour.BACKBONE,
        honour_level=county,
    )  # a 教研员 post: not the school's teacher, no R2
    teacher(p, subject=Subject.ART, honour=Honour.BACKBONE)  # no level: R1 R3, not R2
    both = staff()  # bachelor PE teacher at P and at J: R1 R3 at both
    post(both, p, subject=Subject.PE)
    post(both, j, subject=Subject.PE)
    # J (初中: 本科 and above)
    teacher(j, degree=Degree.COLLEGE, subject=Subject.MATHS)  # nothing
    teacher(j, degree=Degree.POSTGRADUATE, subject=Subject.PE)  # R1 R3
    teacher(
        j,
        subject=Subject.CHINESE,
        honour=Honour.SUBJECT_LEADER,
        honour_level=BackboneLevel.PROVINCE,
    )  # R1 R2
    # N (九年一贯制: held to the junior rule, 本科)
    teacher(n, degree=Degree.COLLEGE, subject=Subject.MATHS)  # nothing
    teacher(n, subject=Subject.MUSIC)  # R1 R3
    facility(
        p,
        teaching_area=90,
        gym_area=50,
        sports_ground_area=100,
        equipment_value=40000,
        multimedia_classrooms=1,
    )
    facility(
        j,
        teaching_area=150,
        gym_area=0,
        sports_ground_area=250,
        equipment_value=50000,
        multimedia_classrooms=1,
    )
    facility(
        n,
        teaching_area=200,
        gym_area=100,
        sports_ground_area=300,
        equipment_value=100000,
        multimedia_classrooms=2,
    )
    e = school(town_a, "E")  # no students
    teacher(e, subject=Subject.PE, honour=Honour.BACKBONE, honour_level=county)
    facility(
        e,
        teaching_area=1000,
        sports_ground_area=1000,
        equipment_value=10**6,
        multimedia_classrooms=10,
    )
    sp = school(town_b, "SP", stage=SchoolStage.SPECIAL)  # 特殊教育学校: not in the method
    pupils(sp, 5, grade=3)
    teacher(sp, subject=Subject.PE)
    facility(
        sp,
        teaching_area=1000,
        sports_ground_area=1000,
        equipment_value=10**6,
        multimedia_classrooms=10,
    )
    return SimpleNamespace(d=district, ta=town_a, tb=town_b, p=p, j=j, n=n, e=e, sp=sp)


# students: P 20, J 25, N 40 (10 primary + 30 junior) → TA 45, TB 40, D 85
# sums:   R1  R2  R3  R4(㎡) R5(㎡)  R6(元)  R7(间)
#   P      4   1   4    90    150    40000    1
#   J      3   1   2   150    250    50000    1
#   N      1   0   1   200    400   100000    2
# (R1 at P: the bachelor maths, college PE, art and the two-post PE teachers; the 中专 music
#  teacher is below it; R2 at P: the county backbone teacher only — like R1 and R3 it counts
#  the school's 专任 teachers, so neither the city 名师 on a staff post nor the 教研员 counts;
#  the art teacher's honour has no level.)
RESOURCE_EXPECTED = {
    # code: {unit: (value, numerator, denominator)}; per 100 students for R1, R2, R3, R7
    "yzjh_r1": {
        "p": (20.0, 4, 20),
        "j": (12.0, 3, 25),
        "n": (2.5, 1, 40),
        "ta": (700 / 45, 7, 45),
        "tb": (2.5, 1, 40),
        "d": (800 / 85, 8, 85),
    },
    "yzjh_r2": {
        "p": (5.0, 1, 20),
        "j": (4.0, 1, 25),
        "n": (0.0, 0, 40),
        "ta": (200 / 45, 2, 45),
        "tb": (0.0, 0, 40),
        "d": (200 / 85, 2, 85),
    },
    "yzjh_r3": {
        "p": (20.0, 4, 20),
        "j": (8.0, 2, 25),
        "n": (2.5, 1, 40),
        "ta": (600 / 45, 6, 45),
        "tb": (2.5, 1, 40),
        "d": (700 / 85, 7, 85),
    },
    "yzjh_r4": {
        "p": (4.5, 90, 20),
        "j": (6.0, 150, 25),
        "n": (5.0, 200, 40),
        "ta": (240 / 45, 240, 45),
        "tb": (5.0, 200, 40),
        "d": (440 / 85, 440, 85),
    },
    "yzjh_r5": {
        "p": (7.5, 150, 20),
        "j": (10.0, 250, 25),
        "n": (10.0, 400, 40),
        "ta": (400 / 45, 400, 45),
        "tb": (10.0, 400, 40),
        "d": (800 / 85, 800, 85),
    },
    "yzjh_r6": {
        "p": (2000.0, 40000, 20),
        "j": (2000.0, 50000, 25),
        "n": (2500.0, 100000, 40),
        "ta": (2000.0, 90000, 45),
        "tb": (2500.0, 100000, 40),
        "d": (190000 / 85, 190000, 85),
    },
    "yzjh_r7": {
        "p": (5.0, 1, 20),
        "j": (4.0, 1, 25),
        "n": (5.0, 2, 40),
        "ta": (200 / 45, 2, 45),
        "tb": (5.0, 2, 40),
        "d": (400 / 85, 4, 85),
    },
}
# standards: P primary, J junior, N the mix (10 primary, 30 junior), e.g. R1 (4.2·10 + 5.3·30)/40
THRESHOLDS = {
    "p": [4.2, 1.0, 0.9, 4.5, 7.5, 2000, 2.3],
    "j": [5.3, 1.0, 0.9, 5.8, 10.2, 2500, 2.4],
    "n": [5.025, 1.0, 0.9, 5.475, 9.525, 2375, 2.375],
}
# each school's mark per indicator, value ÷ standard from the tables above: at least 1 → pass,
# at least 85 % → partial, else fail. J: R5 10.0/10.2 = 98 %, R6 2000/2500 = 80 %;
# N: R1 2.5/5.025 ≈ 50 %, R2 0/1.0, R4 5.0/5.475 ≈ 91 %
MARKS = {
    "p": ["pass"] * 7,
    "j": ["pass", "pass", "pass", "pass", "partial", "fail", "pass"],
    "n": ["fail", "fail", "pass", "partial", "pass", "pass", "pass"],
}


@pytest.mark.parametrize("code", sorted(RESOURCE_EXPECTED))
def test_resource_indicator_at_schools_towns_and_district(resources, code):
    rows = compute(code)
    for unit, (value, numerator, denominator) in RESOURCE_EXPECTED[code].items():
        check(rows, code, getattr(resources, unit), value, numerator, denominator)
    index = int(code[-1]) - 1
    for unit, thresholds in THRESHOLDS.items():
        assert details(rows, code, getattr(resources, unit)) == {
            "threshold": thresholds[index],
            "mark": MARKS[unit][index],
        }
    # a town and the district hold no standard and no mark
    assert details(rows, code, resources.ta) == details(rows, code, resources.d) == {}
    # the school without students and the special school are left out entirely
    assert absent(rows, code, resources.e) and absent(rows, code, resources.sp)


# 差异系数 in the world above, all at the district (each town has one school per part, and a
# single school has none). Primary: P (X_P, P=20) and N (X_N, P=10), shares 2/3, 1/3; junior:
# J (X_J, P=25) and N (X_N, P=30), shares 5/11, 6/11. (X̄, S²) worked by hand; CV = √S²/X̄.
CV_EXPECTED = {
    # R1 P 20, N 2.5: X̄ = (400 + 25)/30 = 85/6; S² = ⅔(35/6)² + ⅓(70/6)² = 1225/18 → 0.58232
    ("r1", "primary"): (85 / 6, 1225 / 18),
    # R1 J 12, N 2.5: X̄ = (300 + 75)/55 = 75/11; S² = (5/11)(57/11)² + (6/11)(95/22)² = 5415/242
    ("r1", "junior"): (75 / 11, 5415 / 242),
    # R2 P 5, N 0: X̄ = 100/30 = 10/3; S² = ⅔(5/3)² + ⅓(10/3)² = 50/9 → 1/√2
    ("r2", "primary"): (10 / 3, 50 / 9),
    # R2 J 4, N 0: X̄ = 100/55 = 20/11; S² = (5/11)(24/11)² + (6/11)(20/11)² = 480/121
    ("r2", "junior"): (20 / 11, 480 / 121),
    # R3 P 20, N 2.5: as R1
    ("r3", "primary"): (85 / 6, 1225 / 18),
    # R3 J 8, N 2.5: X̄ = (200 + 75)/55 = 5; S² = (5/11)·9 + (6/11)·6.25 = 7.5
    ("r3", "junior"): (5, 7.5),
    # R4 P 4.5, N 5: X̄ = (90 + 50)/30 = 14/3; S² = ⅔(1/6)² + ⅓(1/3)² = 1/18
    ("r4", "primary"): (14 / 3, 1 / 18),
    # R4 J 6, N 5: X̄ = (150 + 150)/55 = 60/11; S² = (5/11)(6/11)² + (6/11)(5/11)² = 30/121
    ("r4", "junior"): (60 / 11, 30 / 121),
    # R5 P 7.5, N 10: X̄ = (150 + 100)/30 = 25/3; S² = ⅔(5/6)² + ⅓(5/3)² = 25/18
    ("r5", "primary"): (25 / 3, 25 / 18),
    # R5 J 10, N 10: no difference
    ("r5", "junior"): (10, 0),
    # R6 P 2000, N 2500: X̄ = 6500/3; S² = ⅔(500/3)² + ⅓(1000/3)² = 500000/9
    ("r6", "primary"): (6500 / 3, 500000 / 9),
    # R6 J 2000, N 2500: X̄ = 25000/11; S² = (5/11)(3000/11)² + (6/11)(2500/11)² = 7500000/121
    ("r6", "junior"): (25000 / 11, 7500000 / 121),
    # R7 P 5, N 5: no difference
    ("r7", "primary"): (5, 0),
    # R7 J 4, N 5: X̄ = (100 + 150)/55 = 50/11; S² = (5/11)(6/11)² + (6/11)(5/11)² = 30/121
    ("r7", "junior"): (50 / 11, 30 / 121),
}


@pytest.mark.parametrize(("key", "part"), sorted(CV_EXPECTED))
def test_difference_coefficient_of_every_indicator(resources, key, part):
    code = f"yzjh_cv_{key}_{part}"
    mean, variance = CV_EXPECTED[(key, part)]
    values = raw(code)
    assert set(values) == {resources.d.pk}
    value, numerator, denominator, info = values[resources.d.pk]
    assert value == pytest.approx(math.sqrt(variance) / mean, rel=1e-9, abs=1e-12)
    assert (numerator, denominator) == (None, None)
    # over the limit: R1, R2 and R3 in both parts (see test_unmet_criteria_in_the_resource_world)
    assert info == {
        "schools": 2,
        "limit": 0.5 if part == "primary" else 0.45,
        "mark": "fail" if key in ("r1", "r2", "r3") else "pass",
    }
    rows = compute(code)
    check(rows, code, resources.d, math.sqrt(variance) / mean, None, None)


def test_unmet_criteria_in_the_resource_world(resources):
    code = "county_yzjh_resource_unmet_count"
    # CVs above the limits (0.50 primary, 0.45 junior), from CV_EXPECTED: R1 primary 0.582,
    # R1 junior 0.694, R2 primary 0.707, R2 junior 1.095, R3 primary 0.582, R3 junior 0.548;
    # R4–R7 are all at most 0.141. And J and N fail the per-school rule, each one item (the
    # plan's G-1: failing schools plus CVs over their limit): 6 + 2 = 8
    rows = compute(code)
    check(rows, code, resources.d, 8, None, None)
    assert details(rows, code, resources.d) == {
        "cv_over_limit": [
            "r1_primary",
            "r1_junior",
            "r2_primary",
            "r2_junior",
            "r3_primary",
            "r3_junior",
        ],
        "failing_schools": 2,
        "schools": 3,
    }
    # TA and TB have no 差异系数 (one school per part): their count is their failing schools
    check(rows, code, resources.ta, 1, None, None)
    check(rows, code, resources.tb, 1, None, None)
    assert absent(rows, code, resources.p)


def test_school_compliance_rate(resources):
    code = "yzjh_school_compliance_rate"
    rows = compute(code)
    # P: every indicator at or above its standard (R4, R5, R6 exactly at it) → complies
    # J: R5 10.0/10.2 = 98 % and R6 2000/2500 = 80 %: two below → fails
    # N: R1 2.5/5.025 ≈ 50 % and R2 0/1.0: two below → fails
    check(rows, code, resources.p, 100.0, 1, 1)
    check(rows, code, resources.j, 0.0, 0, 1)
    check(rows, code, resources.n, 0.0, 0, 1)
    check(rows, code, resources.ta, 50.0, 1, 2)
    check(rows, code, resources.tb, 0.0, 0, 1)
    check(rows, code, resources.d, 100 / 3, 1, 3)
    assert absent(rows, code, resources.e) and absent(rows, code, resources.sp)
    # each school's verdict and the indicators under the standard (MARKS), and everywhere the
    # share of the standard the one shortfall may fall to
    assert details(rows, code, resources.p) == {"partial": 0.85, "verdict": True, "short": []}
    assert details(rows, code, resources.j) == {
        "partial": 0.85,
        "verdict": False,
        "short": ["r5", "r6"],
    }
    assert details(rows, code, resources.n) == {
        "partial": 0.85,
        "verdict": False,
        "short": ["r1", "r2", "r4"],
    }
    for unit in (resources.ta, resources.tb, resources.d):
        assert details(rows, code, unit) == {"partial": 0.85}


def rule_school(parent, code: str, *, equipment=20000, teaching_area=45):
    """A primary school of 10 students at every standard except as given: one full-time PE
    teacher with a county backbone title (R1, R2, R3 = 10 per 100), 1 multimedia room (10 per
    100), R4 = area/10 (4.5 standard), R5 = 7.5 ㎡, R6 = equipment/10 (2000 standard)."""
    s = school(parent, code)
    pupils(s, 10)
    teacher(
        s,
        degree=Degree.COLLEGE,
        subject=Subject.PE,
        honour=Honour.BACKBONE,
        honour_level=BackboneLevel.COUNTY,
    )
    facility(
        s,
        teaching_area=teaching_area,
        sports_ground_area=75,
        equipment_value=equipment,
        multimedia_classrooms=1,
    )
    return s


def test_six_of_seven_at_standard_and_the_seventh_at_85_percent(district, town_a):
    code = "yzjh_school_compliance_rate"
    ok = rule_school(town_a, "OK")  # all seven at standard
    r84 = rule_school(town_a, "R84", equipment=16800)  # R6 1680 = 84 % of 2000 → fails
    r85 = rule_school(town_a, "R85", equipment=17000)  # R6 1700 = 85 % → passes
    r86 = rule_school(town_a, "R86", equipment=17200)  # R6 1720 = 86 % → passes
    two = rule_school(town_a, "TWO", equipment=19000, teaching_area=44)  # 95 %, 97.8 % → fails
    rows = compute(code)
    for s, passes in ((ok, 1), (r84, 0), (r85, 1), (r86, 1), (two, 0)):
        check(rows, code, s, 100.0 * passes, passes, 1)
        assert details(rows, code, s)["verdict"] is bool(passes)
    assert details(rows, code, r84)["short"] == details(rows, code, r85)["short"] == ["r6"]
    assert details(rows, code, two)["short"] == ["r4", "r6"]
    assert details(compute("yzjh_r6"), "yzjh_r6", r85)["mark"] == "partial"
    assert details(compute("yzjh_r6"), "yzjh_r6", r84)["mark"] == "fail"
    check(rows, code, town_a, 60.0, 3, 5)
    check(rows, code, district, 60.0, 3, 5)
    # the 85 % is the bureau's figure: at 80 % the 84 % school passes as well
    set_standard("yzjh_partial", "", 0.80)
    check(compute(code), code, district, 80.0, 4, 5)


def test_teaching_points_under_50_students_and_special_schools_are_left_out(
    district, town_a, town_b
):
    p = school(town_a, "P")
    pupils(p, 10)
    facility(p, teaching_area=60)  # X = 6.0
    tp49 = school(town_a, "TP49", stage=SchoolStage.TEACHING_POINT)
    pupils(tp49, 49)
    facility(tp49, teaching_area=490)  # X = 10.0, but under 50 students: left out
    tp50 = school(town_b, "TP50", stage=SchoolStage.TEACHING_POINT)
    pupils(tp50, 50)
    facility(tp50, teaching_area=150)  # X = 3.0, 50 students: in the method, as a primary school
    sp = school(town_b, "SP", stage=SchoolStage.SPECIAL)
    pupils(sp, 10)
    facility(sp, teaching_area=500)
    rows = compute("yzjh_r4", "yzjh_school_compliance_rate")
    check(rows, "yzjh_r4", p, 6.0, 60, 10)
    check(rows, "yzjh_r4", tp50, 3.0, 150, 50)
    check(rows, "yzjh_r4", town_a, 6.0, 60, 10)  # TP49 not counted
    check(rows, "yzjh_r4", town_b, 3.0, 150, 50)  # SP not counted
    check(rows, "yzjh_r4", district, 3.5, 210, 60)
    for s in (tp49, sp):
        assert absent(rows, "yzjh_r4", s)
        assert absent(rows, "yzjh_school_compliance_rate", s)
    # two schools judged (neither has teachers, so neither complies)
    check(rows, "yzjh_school_compliance_rate", district, 0.0, 0, 2)
    # primary 差异系数 over P (6.0, 10) and TP50 (3.0, 50): X̄ = (60 + 150)/60 = 3.5;
    # S² = (1/6)·2.5² + (5/6)·0.5² = 1.0416667 + 0.2083333 = 1.25; CV = √1.25/3.5 = 0.3194383…
    cv = raw("yzjh_cv_r4_primary")[district.pk]
    assert cv[0] == pytest.approx(math.sqrt(1.25) / 3.5, rel=1e-9)
    assert cv[3]["schools"] == 2


def test_staff_and_facilities_of_a_campus_count_for_its_school(district, town_a):
    c = school(town_a, "C")
    point = campus(c, "C-TP")  # its students are enrolled at C
    pupils(c, 20)
    teacher(c, degree=Degree.COLLEGE, subject=Subject.MATHS)
    teacher(point, degree=Degree.COLLEGE, subject=Subject.PE)  # works at the teaching point
    facility(c, teaching_area=60)
    facility(point, teaching_area=30)
    rows = compute("yzjh_r1", "yzjh_r3", "yzjh_r4")
    check(rows, "yzjh_r1", c, 10.0, 2, 20)  # 2 teachers per 20 students
    check(rows, "yzjh_r3", c, 5.0, 1, 20)
    check(rows, "yzjh_r4", c, 4.5, 90, 20)
    check(rows, "yzjh_r1", district, 10.0, 2, 20)
    assert absent(rows, "yzjh_r1", point)


def test_decimal_areas_are_not_truncated(district, town_a):
    s = school(town_a, "P")
    pupils(s, 10)
    facility(s, teaching_area=Decimal("45.50"), equipment_value=Decimal("19999.90"))
    rows = compute("yzjh_r4", "yzjh_r6")
    check(rows, "yzjh_r4", s, 4.55, 45.5, 10)  # not 4.5 from a sum truncated to 45
    check(rows, "yzjh_r6", s, 1999.99, 19999.9, 10)  # not 1999.9 from 19999


# ============================================================================ quality.py: county


def test_unmet_criteria_count(district, town_a, town_b):
    code = "county_yzjh_resource_unmet_count"

    # four schools of 10 students, alike but for R4: one PE teacher (bachelor, county backbone),
    # 1 multimedia room, 20 ㎡ sports ground and 3000 元 equipment per student
    def alike(parent, code_, stage, area):
        s = school(parent, code_, stage=stage)
        pupils(s, 10, grade=1 if stage == SchoolStage.PRIMARY else 8)
        teacher(s, subject=Subject.PE, honour=Honour.BACKBONE, honour_level=BackboneLevel.COUNTY)
        facility(
            s,
            teaching_area=area,
            sports_ground_area=200,
            equipment_value=30000,
            multimedia_classrooms=1,
        )
        return s

    alike(town_a, "Q1", SchoolStage.PRIMARY, 100)  # R4 10.0
    alike(town_a, "Q2", SchoolStage.PRIMARY, 10)  # R4 1.0: 22 % of 4.5 → fails the school rule
    alike(town_b, "K1", SchoolStage.JUNIOR, 60)  # R4 6.0
    alike(town_b, "K2", SchoolStage.JUNIOR, 60)
    # primary R4: X̄ = (10 + 1)/2 = 5.5, S = 4.5 → CV = 9/11 = 0.818… > 0.50: unmet;
    # the other six primary CVs and all seven junior CVs are 0
    rows = compute(code, "yzjh_cv_r4_primary")
    check(rows, "yzjh_cv_r4_primary", district, 9 / 11, None, None)
    check(rows, code, district, 2, None, None)
    assert details(rows, code, district) == {
        "cv_over_limit": ["r4_primary"],
        "failing_schools": 1,
        "schools": 4,
    }
    check(rows, code, town_a, 2, None, None)
    check(rows, code, town_b, 0, None, None)
    assert details(rows, code, town_b) == {"cv_over_limit": [], "failing_schools": 0, "schools": 2}
    assert absent(rows, code, school_of("Q1"))
    # the limit is the bureau's: at 0.90 the primary R4 CV passes
    set_standard("yzjh_cv_limit", "primary", 0.90)
    rows = compute(code)
    check(rows, code, district, 1, None, None)
    assert details(rows, code, district) == {
        "cv_over_limit": [],
        "failing_schools": 1,
        "schools": 4,
    }


def test_class2_standard_rates(district, town_a, town_b):
    # the bureau sets the 省定Ⅱ类 primary equipment figure to 1500 元 (R6 stand-in was 2000)
    set_standard("class2_r6", "primary", 1500)

    def sch(parent, code, *, stage=SchoolStage.PRIMARY, urban_rural="220", seat=False, **areas):
        s = school(parent, code, stage=stage, urban_rural=urban_rural, town_seat=seat)
        return s, facility(s, **areas)

    s1, _ = sch(
        town_a, "S1", seat=True, teaching_area=45, sports_ground_area=75, equipment_value=18000
    )
    pupils(s1, 10)  # 4.5 / 7.5 / 1800 ≥ 4.5 / 7.5 / 1500: meets
    s2, _ = sch(town_a, "S2", teaching_area=44, sports_ground_area=75, equipment_value=20000)
    pupils(s2, 10)  # R4 4.4 < 4.5: does not
    s3, _ = sch(
        town_b,
        "S3",
        stage=SchoolStage.JUNIOR,
        urban_rural="111",
        seat=True,
        teaching_area=58,
        sports_ground_area=102,
        equipment_value=24000,
    )
    pupils(s3, 10, grade=8)  # 5.8 / 10.2 / 2400 < 2500: does not (urban, 镇驻地)
    s4, _ = sch(
        town_b,
        "S4",
        stage=SchoolStage.NINE_YEAR,
        teaching_area=104,
        sports_ground_area=178,
        equipment_value=40000,
    )
    pupils(s4, 10, grade=3)
    pupils(s4, 10, grade=8)
    # S4's standards mix both parts equally: R4 (4.5 + 5.8)/2 = 5.15 ≤ 5.2; R5 (7.5 + 10.2)/2 =
    # 8.85 ≤ 8.9; R6 (1500 + 2500)/2 = 2000 ≤ 2000: meets
    s5, _ = sch(
        town_a, "S5", seat=True, teaching_area=450, sports_ground_area=750, equipment_value=10**6
    )
    # S5 has no students: left out
    kg, _ = sch(town_a, "KG", stage=SchoolStage.KINDERGARTEN, seat=True)  # not a 中小学
    rows = compute("town_seat_class2_standard_rate", "rural_class2_standard_rate")
    seat = "town_seat_class2_standard_rate"  # S1, S3
    check(rows, seat, s1, 100.0, 1, 1)
    check(rows, seat, s3, 0.0, 0, 1)
    check(rows, seat, town_a, 100.0, 1, 1)
    check(rows, seat, town_b, 0.0, 0, 1)
    check(rows, seat, district, 50.0, 1, 2)
    rural = "rural_class2_standard_rate"  # S1, S2, S4
    check(rows, rural, s1, 100.0, 1, 1)
    check(rows, rural, s2, 0.0, 0, 1)
    check(rows, rural, s4, 100.0, 1, 1)
    check(rows, rural, town_a, 50.0, 1, 2)
    check(rows, rural, town_b, 100.0, 1, 1)
    check(rows, rural, district, 200 / 3, 2, 3)
    for code, s in (
        (seat, s2),
        (seat, s4),
        (rural, s3),
        (seat, s5),
        (rural, s5),
        (seat, kg),
        (rural, kg),
    ):
        assert absent(rows, code, s)
