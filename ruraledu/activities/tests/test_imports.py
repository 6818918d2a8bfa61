import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from ruraledu.activities import imports as _registers  # noqa: F401
from ruraledu.activities.models import CityTrip, PublicLesson, Training
from ruraledu.audit.models import AuditEvent
from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import new_id, rows
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import Post, StaffPerson


@pytest.fixture
def teacher_id(db):
    number = new_id(dt.date(1982, 3, 4))
    person = StaffPerson(name="王名师", sex="2")
    person.set_id_number(number)
    person.save()
    return number


def test_lessons_import_within_the_year_and_are_idempotent(district_admin, school_a, teacher_id):
    importer = get_importer("lessons")
    data = rows(
        {
            "person": teacher_id,
            "school": "SA",
            "held_on": dt.date(2024, 10, 8),
            "kind": "famous",
            "topic": "分数",
        }
    )
    assert importer.validate(data, year=2024, user=district_admin) == []
    assert importer.write(data, year=2024, user=district_admin).created == 1
    assert importer.write(data, year=2024, user=district_admin).unchanged == 1
    lesson = PublicLesson.objects.get()
    assert (lesson.year, lesson.semester, lesson.kind) == (2024, 1, "famous")


def test_activity_rows_are_checked(school_clerk, school_a, school_b, teacher_id):
    teacher = StaffPerson.objects.get()
    Post.objects.create(person=teacher, school=school_a, year=2024, position="teacher", degree="2")
    importer = get_importer("lessons")
    data = rows(
        {
            "person": teacher_id,
            "school": "SA",
            "held_on": dt.date(2023, 10, 8),
            "kind": "public",
        },  # other year
        {
            "person": new_id(dt.date(1990, 1, 1)),
            "school": "SA",
            "held_on": dt.date(2024, 10, 8),
            "kind": "public",
        },
        {
            "person": teacher_id,
            "school": "SB",
            "held_on": dt.date(2024, 10, 8),
            "kind": "public",
        },  # out of scope
    )
    errors = importer.validate(data, year=2024, user=school_clerk)
    assert {(e.row, e.column, e.message) for e in errors} == {
        (3, "日期", "日期不在2024—2025学年内"),
        (4, "授课教师身份证号", "该人员不在您管辖范围内本学年的教职工名册中"),
        (5, "学校代码", "无权导入该学校的数据（不在您的管辖范围内）"),
    }


def test_trainings_and_trip_participants(district_admin, school_a, teacher_id):
    training = get_importer("trainings")
    data = rows(
        {
            "person": teacher_id,
            "level": "county",
            "kind": "rotation",
            "cycle": "2023-2025",
            "held_on": dt.date(2024, 11, 2),
        }
    )
    assert training.validate(data, year=2024, user=district_admin) == []
    training.write(data, year=2024, user=district_admin)
    assert Training.objects.get().cycle == "2023-2025"

    pupils = []
    for name in ("甲", "乙"):
        number = new_id()
        person = StudentPerson(name=name, sex="1")
        person.set_id_number(number)
        person.save()
        Enrolment.objects.create(person=person, school=school_a, year=2024, grade=3)
        pupils.append(number)
    trips = get_importer("trips")
    data = rows(
        *(
            {"school": "SA", "held_on": dt.date(2025, 5, 20), "title": "科技馆研学", "student": n}
            for n in pupils
        )
    )
    assert trips.validate(data, year=2024, user=district_admin) == []
    assert trips.write(data, year=2024, user=district_admin).created == 2
    assert trips.write(data, year=2024, user=district_admin).unchanged == 2
    trip = CityTrip.objects.get()
    assert trip.participants.count() == 2
    # the audit trail has the new trip and whom it took, once
    trail = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(CityTrip), object_id=str(trip.pk)
    ).order_by("pk")
    assert [e.action for e in trail] == ["create", "update"]
    assert trail[1].after == {
        "participants": sorted(trip.participants.values_list("pk", flat=True))
    }
    unknown = rows(
        {
            "school": "SA",
            "held_on": dt.date(2025, 5, 20),
            "title": "科技馆研学",
            "student": new_id(),
        }
    )
    assert [e.message for e in trips.validate(unknown, year=2024, user=district_admin)] == [
        "该学生不在该校本学年学生名册中"
    ]
