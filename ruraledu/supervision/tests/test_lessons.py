"""名师课堂 / 送教 / 公开课 recorded on the platform land in the importer's table, move the
indicators that read lessons on recompute, and never count twice with an import."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from ruraledu.activities import imports as _registers  # noqa: F401
from ruraledu.activities.choices import LessonKind, ObservationSource
from ruraledu.activities.models import PublicLesson
from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute
from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import rows
from ruraledu.workforce.choices import Honour
from ruraledu.workforce.models import Post

from .. import services
from .conftest import YEAR, staff

DAY = dt.date(2025, 10, 9)
FAMOUS_RATE = "town_seat_famous_teacher_lesson_rate"
BACKBONE_RATE = "staff_town_seat_open_lesson_rate"


@pytest.fixture
def teacher(school_a):
    person = staff("刘名师")
    Post.objects.create(
        person=person,
        school=school_a,
        year=YEAR,
        position="teacher",
        degree="2",
        honour=Honour.BACKBONE,
    )
    return person


def _import(user, teacher, day=DAY, kind="famous", topic="分数的意义"):
    data = rows(
        {
            "person": teacher.id_number(),
            "school": "SA",
            "held_on": day,
            "kind": kind,
            "topic": topic,
        }
    )
    importer = get_importer("lessons")
    assert importer.validate(data, year=YEAR, user=user) == []
    return importer.write(data, year=YEAR, user=user)


def _fields(lesson):
    return (
        lesson.teacher_id,
        lesson.school_id,
        lesson.held_on,
        lesson.year,
        lesson.semester,
        lesson.kind,
        lesson.topic,
    )


def _value(code, unit):
    row = IndicatorValue.objects.get(code=code, unit=unit, year=YEAR)
    return row.value, row.numerator, row.denominator


def test_the_form_writes_the_row_the_importer_would(researcher, district_admin, teacher, school_a):
    # given the row an import writes for a lesson
    _import(district_admin, teacher)
    imported = PublicLesson.objects.get()
    assert (imported.source, imported.recorded_by) == (ObservationSource.IMPORT, None)
    expected = _fields(imported)
    imported.delete()
    # when the researcher records the same lesson on the phone
    recorded = services.lesson_record(
        actor=researcher,
        school=school_a,
        held_on=DAY,
        teacher_id=str(teacher.pk),
        kind=LessonKind.FAMOUS,
        title=" 分数的意义 ",
    )
    # then the row is the same, with its source and recorder, and audited
    assert _fields(PublicLesson.objects.get()) == expected
    assert (recorded.source, recorded.recorded_by) == (ObservationSource.PLATFORM, researcher)
    # (by record type too: another record of the test may hold the same id)
    event = AuditEvent.objects.for_record(
        content_type=ContentType.objects.get_for_model(PublicLesson), object_id=recorded.pk
    ).get()
    assert event.actor == researcher and "名师课堂记录" in event.summary


def test_an_import_of_a_recorded_lesson_does_not_count_twice(
    school_clerk, district_admin, teacher, school_a
):
    # given the school's clerk recorded a lesson on the platform
    services.lesson_record(
        actor=school_clerk,
        school=school_a,
        held_on=DAY,
        teacher_id=teacher.pk,
        kind=LessonKind.FAMOUS,
        title="分数",
    )
    # when the same lesson (teacher, school, day, kind) comes in by import, twice
    first = _import(district_admin, teacher, topic="分数的意义")
    second = _import(district_admin, teacher, topic="分数的意义")
    # then it is one row, updated in place, keeping the source it first came in by
    assert (first.created, first.updated, second.unchanged) == (0, 1, 1)
    lesson = PublicLesson.objects.get()
    assert (lesson.topic, lesson.source) == ("分数的意义", ObservationSource.PLATFORM)
    # and recording it again on the form is refused, another kind the same day is not
    with pytest.raises(ValidationError, match="已有该校同类型"):
        services.lesson_record(
            actor=school_clerk, school=school_a, held_on=DAY, teacher_id=teacher.pk, kind="famous"
        )
    services.lesson_record(
        actor=school_clerk, school=school_a, held_on=DAY, teacher_id=teacher.pk, kind="outreach"
    )
    assert PublicLesson.objects.count() == 2


def test_a_lesson_sent_twice_at_once_is_refused_in_chinese(
    school_clerk, teacher, school_a, monkeypatch
):
    # given the lesson saved by the first of two taps
    record = {"actor": school_clerk, "school": school_a, "held_on": DAY, "teacher_id": teacher.pk}
    services.lesson_record(kind=LessonKind.FAMOUS, **record)
    # when the second passes the check before the first is committed
    exists = QuerySet.exists
    monkeypatch.setattr(
        QuerySet, "exists", lambda qs: False if qs.model is PublicLesson else exists(qs)
    )
    with pytest.raises(ValidationError) as refused:
        services.lesson_record(kind=LessonKind.FAMOUS, **record)
    # then the database's unique index refuses it, told in Chinese (was a server error)
    assert refused.value.messages == [
        "这位教师在这一天已有该校同类型的课堂记录（同一教师、学校、日期、类型记一次）。"
    ]
    assert PublicLesson.objects.count() == 1
    assert AuditEvent.objects.filter(summary__contains="名师课堂记录").count() == 1


def test_recorded_lessons_move_both_lesson_indicators_on_recompute(
    researcher, district_admin, teacher, school_a
):
    # given a town-seat school and a backbone teacher with four imported lessons there
    school_a.is_town_seat = True
    school_a.save()
    for day in (6, 7, 8, 9):
        _import(district_admin, teacher, day=dt.date(2025, 11, day), kind="public")
    recompute(years=[YEAR], codes=[FAMOUS_RATE, BACKBONE_RATE])
    before = _value(FAMOUS_RATE, school_a.org_unit), _value(BACKBONE_RATE, school_a.org_unit)
    # when the researcher records a 名师课堂 on the platform, with no import
    services.lesson_record(
        actor=researcher, school=school_a, held_on=DAY, teacher_id=teacher.pk, kind="famous"
    )
    recompute(years=[YEAR], codes=[FAMOUS_RATE, BACKBONE_RATE])
    # then the school has its 名师课堂 and the teacher reaches five lessons
    assert before == ((0.0, 0.0, 1.0), (0.0, 0.0, 1.0))
    assert _value(FAMOUS_RATE, school_a.org_unit) == (100.0, 1.0, 1.0)
    assert _value(BACKBONE_RATE, school_a.org_unit) == (100.0, 1.0, 1.0)


def test_out_of_scope_and_bad_input_are_refused(
    researcher, outsider, inspector, teacher, school_a, school_b
):
    other = staff("赵老师")
    Post.objects.create(person=other, school=school_b, year=YEAR, position="teacher", degree="2")
    for actor, school, person in (
        (researcher, school_b, other),
        (outsider, school_a, teacher),
        (inspector, school_a, teacher),
    ):
        with pytest.raises(PermissionDenied):
            services.lesson_record(
                actor=actor, school=school, held_on=DAY, teacher_id=person.pk, kind="famous"
            )
    bad = (
        ({"teacher_id": other.pk}, "名册中没有这位授课教师"),  # posted at another school
        ({"teacher_id": "x"}, "在岗的授课教师"),
        ({"kind": "lecture"}, "有效的课堂类型"),
        ({"held_on": dt.date(2099, 1, 1)}, "不能晚于今天"),
        ({"held_on": dt.date(1900, 1, 1)}, "上课日期不能早于"),  # a typo, counted in no year
        ({"held_on": dt.date(2024, 10, 9)}, "2024—2025学年的教职工名册中没有"),  # a year off
    )
    for change, message in bad:
        values = {"held_on": DAY, "teacher_id": teacher.pk, "kind": "famous", **change}
        with pytest.raises(ValidationError, match=message):
            services.lesson_record(actor=researcher, school=school_a, **values)
    assert not PublicLesson.objects.exists()


def test_the_page_is_a_404_out_of_scope_and_lists_my_records(
    client, researcher, teacher, school_a, school_b
):
    client.force_login(researcher)
    url = "/supervision/lessons/"
    assert client.get(url, {"school": school_b.pk}).status_code == 404
    posted = {"school": school_b.pk, "held_on": "2025-10-09", "teacher": teacher.pk}
    assert client.post(url, {**posted, "kind": "famous"}).status_code == 404
    assert not PublicLesson.objects.exists()
    response = client.post(url, {**posted, "school": school_a.pk, "kind": "outreach"})
    assert response.status_code == 302
    (mine,) = client.get(url).context["recent"]
    assert (mine.school, mine.teacher, mine.kind) == (school_a, teacher, "outreach")


def test_the_lesson_page_is_offered_only_to_one_with_a_school_to_record_at(
    client, inspector, school_clerk, school_a
):
    """A 挂牌 inspector records no lessons: the supervision page offers no link to an empty
    school picker, and the lesson page itself says why there is nothing to pick."""
    url = "/supervision/lessons/"
    client.force_login(inspector)
    assert url not in client.get("/supervision/").content.decode()
    page = client.get(url).content.decode()
    assert "您的账号没有可以登记名师课堂、送教送研或公开课的学校" in page
    assert 'name="school"' not in page

    client.force_login(school_clerk)
    assert url in client.get("/supervision/").content.decode()
    page = client.get(url).content.decode()
    assert "您的账号没有可以登记" not in page and school_a.org_unit.name in page
