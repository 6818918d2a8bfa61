from django.core.management import call_command

from ruraledu.core.models import SchoolYear
from ruraledu.core.rollforward import school_year_start
from ruraledu.facilities.models import FacilityRecord
from ruraledu.orgunits.tests.factories import SchoolFactory
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import Post, StaffPerson


def person(model, name):
    p = model(name=name, sex="1")
    p.set_id_number(new_id())
    p.save()
    return p


def test_rolling_forward_copies_the_year_and_moves_students_up(school_a, town_a):
    # given 2024 data: a facility record, a post, a grade-3 and a grade-6 pupil (the last grade)
    junior = SchoolFactory(org_unit__code="SJ", org_unit__parent=town_a, stage="311")
    FacilityRecord.objects.create(school=school_a, year=2024, classrooms=10, water_passed=True)
    Post.objects.create(
        person=person(StaffPerson, "教师"),
        school=school_a,
        year=2024,
        degree="2",
        health_check=True,
    )
    Enrolment.objects.create(
        person=person(StudentPerson, "三年级"),
        school=school_a,
        year=2024,
        grade=3,
        aid_received=True,
    )
    Enrolment.objects.create(
        person=person(StudentPerson, "六年级"), school=school_a, year=2024, grade=6
    )
    Enrolment.objects.create(
        person=person(StudentPerson, "初二"), school=junior, year=2024, grade=8
    )
    # when 2025 starts
    copied = school_year_start(year=2025)
    # then yearly records are copied, pupils move up and leavers are not carried
    assert copied["办学条件"] == 1
    assert FacilityRecord.objects.get(year=2025).classrooms == 10
    new_post = Post.objects.get(year=2025)
    assert new_post.health_check is False  # yearly checks restart
    assert sorted(Enrolment.objects.filter(year=2025).values_list("person__name", "grade")) == [
        ("三年级", 4),
        ("初二", 9),
    ]
    assert Enrolment.objects.get(year=2025, person__name="三年级").aid_received is False
    # and the past year is untouched
    assert Enrolment.objects.filter(year=2024).count() == 3
    assert Post.objects.get(year=2024).health_check is True
    assert SchoolYear.objects.get(is_current=True).year == 2025


def test_rolling_forward_twice_adds_nothing_and_keeps_edits(school_a):
    FacilityRecord.objects.create(school=school_a, year=2024, classrooms=10)
    school_year_start(year=2025)
    FacilityRecord.objects.filter(year=2025).update(classrooms=12)  # an import corrected it
    copied = school_year_start(year=2025)
    assert copied["办学条件"] == 0
    assert FacilityRecord.objects.get(year=2025).classrooms == 12


def test_the_command_prints_what_it_copied(school_a, capsys):
    FacilityRecord.objects.create(school=school_a, year=2024, classrooms=10)
    call_command("start_school_year", "2025")
    out = capsys.readouterr().out
    assert "2025—2026学年" in out
    assert "办学条件：1 条" in out
