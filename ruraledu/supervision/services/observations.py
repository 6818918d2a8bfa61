"""听课 recorded on a researcher's phone, into the same table the Excel import fills."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from ruraledu.activities.choices import ObservationRating, ObservationSource
from ruraledu.activities.models import LessonObservation
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.locks import refused_if_taken

from ..models import StaffAccount
from ..permissions import may_observe, require
from .common import record_day

# the day's record at the school is on file (a double tap on a weak line lands here too)
ONE_A_DAY = "您在这一天已有该校的听课记录（同一天同一学校记一次）。"


@transaction.atomic
def observation_record(
    *,
    actor,
    school,
    held_on: dt.date,
    class_name: str = "",
    subject: str = "",
    teacher_name: str = "",
    title: str = "",
    rating: str = "",
    comments: str = "",
    follow_up: str = "",
    address: str | None = None,
) -> LessonObservation:
    """Record a 听课 at one of the researcher's linked schools, under their staff record."""
    require(may_observe(actor, school), "您不是这所学校的包校教研员，不能记录听课。")
    account = StaffAccount.objects.filter(user=actor).select_related("person").first()
    if account is None:
        raise ValidationError("您的账号还没有对应的教职工记录，请联系区教体局关联后再记录听课。")
    record_day(held_on, "听课日期")
    if rating and rating not in ObservationRating.values:
        raise ValidationError("请选择有效的评价等级。")
    if LessonObservation.objects.filter(
        observer=account.person, school=school, held_on=held_on
    ).exists():
        raise ValidationError(ONE_A_DAY)
    observation = LessonObservation(
        observer=account.person,
        school=school,
        held_on=held_on,
        source=ObservationSource.PLATFORM,
        recorded_by=actor,
        class_name=class_name.strip(),
        subject=subject.strip(),
        teacher_name=teacher_name.strip(),
        title=title.strip(),
        rating=rating,
        comments=comments.strip(),
        follow_up=follow_up.strip(),
    )
    observation.full_clean(exclude=["year", "semester"], validate_constraints=False)
    with refused_if_taken(ONE_A_DAY):  # the same record, saved a moment ago
        observation.save()
    audit_record(
        actor=actor,
        instance=observation,
        action=AuditAction.CREATE,
        after=snapshot(observation),
        summary=f"听课记录：{school} {held_on}",
        address=address,
    )
    return observation
