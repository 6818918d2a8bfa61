"""公开课, 示范课, 名师课堂 and 送教送研 recorded on a phone, into the table the Excel import fills.

The key is the importer's: teacher, school, day and kind. A lesson already on file under that
key (imported or recorded) is refused here, and a later import of it updates the same row, so
no lesson counts twice; the row keeps the source it first came in by.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from ruraledu.activities.choices import LessonKind, ObservationSource
from ruraledu.activities.models import PublicLesson
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.locks import refused_if_taken
from ruraledu.core.schoolyear import current_school_year, school_year_label, school_year_of
from ruraledu.orgunits.models import School
from ruraledu.workforce.models import Post, StaffPerson

from ..permissions import may_answer, may_observe, require
from .common import record_day

# the lesson is on file under the importer's key (or was saved a moment ago, a double tap)
ONE_A_KEY = "这位教师在这一天已有该校同类型的课堂记录（同一教师、学校、日期、类型记一次）。"


def may_record_lesson(user, school) -> bool:
    """A researcher at a linked school, the school's clerk, its town office and the bureau."""
    return may_observe(user, school) or may_answer(user, school)


def lesson_teachers(school, year: int):
    """Staff posted at the school in the school year, by name: whom a lesson may name."""
    return (
        StaffPerson.objects.filter(posts__school=school, posts__year=year)
        .distinct()
        .order_by("name", "pk")
    )


@transaction.atomic
def lesson_record(
    *,
    actor,
    school,
    held_on: dt.date,
    teacher_id,
    kind: str,
    title: str = "",
    address: str | None = None,
) -> PublicLesson:
    """Record one lesson given at `school` by a teacher posted there that school year."""
    require(may_record_lesson(actor, school), "您无权为这所学校记录公开课、名师课堂或送教。")
    record_day(held_on, "上课日期")
    if kind not in LessonKind.values:
        raise ValidationError("请选择有效的课堂类型。")
    try:
        teacher_id = int(teacher_id)
    except (TypeError, ValueError):
        raise ValidationError("请选择该校本学年在岗的授课教师。") from None
    # the roster of the year the lesson is filed under (PublicLesson.year, from its date)
    year = school_year_of(held_on)
    if not Post.objects.filter(person_id=teacher_id, school=school, year=year).exists():
        message = (
            f"上课日期 {held_on:%Y-%m-%d} 属于{school_year_label(year)}，"
            f"该校{school_year_label(year)}的教职工名册中没有这位授课教师，请核对日期和教师。"
        )
        current = current_school_year()
        if year > current:  # today's year, not started: its roster is seldom in yet
            message += (
                f"{school_year_label(year)}尚未在平台开始（当前学年为"
                f"{school_year_label(current)}），"
                "请区教体局在“学年”页面开始新学年并导入教职工名册后再登记。"
            )
        raise ValidationError(message)
    if PublicLesson.objects.filter(
        teacher_id=teacher_id, school=school, held_on=held_on, kind=kind
    ).exists():
        raise ValidationError(ONE_A_KEY)
    lesson = PublicLesson(
        teacher_id=teacher_id,
        school=school,
        held_on=held_on,
        kind=kind,
        topic=title.strip(),
        source=ObservationSource.PLATFORM,
        recorded_by=actor,
    )
    lesson.full_clean(exclude=["year", "semester"], validate_constraints=False)
    with refused_if_taken(ONE_A_KEY):  # the same lesson, saved a moment ago
        lesson.save()
    audit_record(
        actor=actor,
        instance=lesson,
        action=AuditAction.CREATE,
        after=snapshot(lesson),
        summary=f"{lesson.get_kind_display()}记录：{school} {held_on}",
        address=address,
    )
    return lesson


def lesson_schools(user):
    """Schools the user may record a lesson at."""
    return (
        School.objects.for_user(user, "observe") | School.objects.for_user(user, "change")
    ).distinct()


def lessons_recorded_by(user, limit: int = 20):
    """The user's own recent records at schools still in their reach, newest first."""
    return (
        PublicLesson.objects.filter(recorded_by=user, school__in=lesson_schools(user))
        .select_related("school__org_unit", "teacher")
        .order_by("-held_on", "-pk")[:limit]
    )
