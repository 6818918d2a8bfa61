"""A 研学 file naming more pupils than SQLite lets one statement name (a city's trip) is
imported; the limit is lowered here to 999."""

import datetime as dt

from ruraledu.activities import imports as _registers  # noqa: F401
from ruraledu.activities.models import CityTrip
from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import new_id, rows
from ruraledu.students.models import Enrolment, StudentPerson

PUPILS = 1100  # past the lowered limit


def test_a_trip_of_more_pupils_than_the_parameter_limit_is_imported(
    school_a, district_admin, sqlite_variable_limit
):
    # given that many pupils of school A, each a row of one trip
    people, numbers = [], []
    for n in range(PUPILS):
        born = dt.date(2014, 9, 1) + dt.timedelta(days=n)  # one a day: the ID numbers differ
        number = new_id(born)
        person = StudentPerson(name=f"学生{n}", sex="1", birth_date=born)
        person.set_id_number(number)
        people.append(person)
        numbers.append(number)
    people = StudentPerson.objects.bulk_create(people)
    Enrolment.objects.bulk_create(
        Enrolment(person=p, school=school_a, year=2024, grade=6) for p in people
    )
    trip = {"school": "SA", "held_on": dt.date(2025, 5, 20), "title": "科技馆研学"}
    data = rows(*({**trip, "student": n} for n in numbers))
    importer = get_importer("trips")
    # when the file is checked and written, twice
    assert importer.validate(data, year=2024, user=district_admin) == []
    assert importer.write(data, year=2024, user=district_admin).created == PUPILS
    assert importer.write(data, year=2024, user=district_admin).unchanged == PUPILS
    # then the trip took every pupil
    assert set(CityTrip.objects.get().participants.values_list("pk", flat=True)) == {
        p.pk for p in people
    }
