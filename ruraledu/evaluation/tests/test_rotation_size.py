"""交流轮岗 of a whole city (tens of thousands of eligible teachers on the demo) stays within
SQLite's limit on parameters per statement; the limit is lowered here to 999."""

import datetime as dt

from ruraledu.indicators.drilldown import drill_records
from ruraledu.indicators.engine import REGISTRY
from ruraledu.spreadsheets.testing import new_id
from ruraledu.workforce.choices import Degree
from ruraledu.workforce.models import Post, StaffPerson

TEACHERS = 1100  # past the lowered limit


def test_the_drill_down_of_more_teachers_than_the_parameter_limit_lists_them(
    district_admin, district, school_a, sqlite_variable_limit
):
    # given more teachers eligible (six years at school A by 2023) than one statement may name
    people = []
    for n in range(TEACHERS):
        born = dt.date(1980, 1, 1) + dt.timedelta(days=n)  # one a day: the ID numbers differ
        person = StaffPerson(name=f"教师{n}", sex="2", birth_date=born)
        person.set_id_number(new_id(born))
        people.append(person)
    people = StaffPerson.objects.bulk_create(people)
    Post.objects.bulk_create(
        Post(person=p, school=school_a, year=y, degree=Degree.BACHELOR)
        for p in people
        for y in range(2018, 2025)
    )
    # when the denominator of 交流轮岗 is drilled into
    drill = drill_records(
        indicator=REGISTRY["evaluation_rotation_rate"],
        part="denominator",
        unit=district,
        year=2024,
        user=district_admin,
    )
    # then every one of them is listed by name
    assert sorted(row[0] for row in drill.rows) == sorted(p.name for p in people)
