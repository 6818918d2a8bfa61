"""The 学困生 list of a whole city (tens of thousands of flagged pupils on the demo) stays
within SQLite's limit on parameters per statement; the limit is lowered here to 999."""

import datetime as dt

from django.urls import reverse

from ruraledu.core.models import SchoolYear
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson

from ..models import GrowthFile

PUPILS = 1100  # past the lowered limit


def _flagged_with_open_files(school, actor):
    SchoolYear.objects.get_or_create(year=2025, defaults={"is_current": True})
    people = []
    for n in range(PUPILS):
        born = dt.date(2014, 9, 1) + dt.timedelta(days=n)  # one a day: the ID numbers differ
        person = StudentPerson(name=f"学生{n}", sex="1", birth_date=born)
        person.set_id_number(new_id(born))
        people.append(person)
    people = StudentPerson.objects.bulk_create(people)
    Enrolment.objects.bulk_create(
        Enrolment(person=p, school=school, year=2025, grade=4, struggling=True) for p in people
    )
    GrowthFile.objects.bulk_create(
        GrowthFile(
            person=p,
            school=school,
            unit=school.org_unit,
            year=2025,
            grade=4,
            assessed_on=dt.date(2025, 9, 15),
            subjects="数学",
            assessed_by="王老师",
            assessment="期初测试数学 40 分",
            opened_by=actor,
        )
        for p in people
    )


def test_the_list_of_more_pupils_than_the_parameter_limit_opens(
    client, school_a, school_clerk, sqlite_variable_limit
):
    # given more flagged pupils, each with an open file, than one statement may name
    _flagged_with_open_files(school_a, school_clerk)
    client.force_login(school_clerk)
    # when the list is opened
    response = client.get(reverse("care:growth_list"), {"year": "2025"})
    # then it shows them all, each with its file
    assert response.status_code == 200
    assert f"已建档，无帮扶计划 {PUPILS}" in response.content.decode()
