"""A file of the 资助 system naming more children than SQLite lets one statement name (a
city's bureau, tens of thousands) is imported; the limit is lowered here to 999."""

import datetime as dt

from ruraledu.spreadsheets.services import import_run
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson

from ..models import AidGrant
from .conftest import YEAR, workbook

CHILDREN = 1100  # past the lowered limit


def test_a_file_of_more_children_than_the_parameter_limit_is_imported(
    school_a, school_clerk, sqlite_variable_limit
):
    # given that many pupils of school A, each with a row of aid
    rows, people = [], []
    for n in range(CHILDREN):
        born = dt.date(2014, 9, 1) + dt.timedelta(days=n)  # one a day: the ID numbers differ
        number = new_id(born)
        person = StudentPerson(name=f"学生{n}", sex="1", birth_date=born)
        person.set_id_number(number)
        people.append(person)
        rows.append(
            {
                "id_number": number,
                "name": person.name,
                "school": "SA",
                "aid_kind": "义务教育家庭经济困难学生生活补助",
                "semester": "第一学期（秋季）",
                "amount": 500,
            }
        )
    people = StudentPerson.objects.bulk_create(people)
    Enrolment.objects.bulk_create(
        Enrolment(person=p, school=school_a, year=YEAR, grade=4) for p in people
    )
    # when the file is imported
    result = import_run(
        kind="aid_grants", data=workbook(*rows), filename="资助.xlsx", year=YEAR, user=school_clerk
    )
    # then every row is stored
    assert result.created == CHILDREN
    assert AidGrant.objects.count() == CHILDREN
