"""Writes of the care work: a mentor for a child, a contact with a child or guardian, an
activity of the school's 关爱室. Each checks the care reach at the school (out of reach is
refused as not found), validates, and leaves an audit row in the same transaction."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.schoolyear import check_day_in_year, school_year_of
from ruraledu.orgunits.models import School
from ruraledu.reporting.evidence import EvidenceRefused
from ruraledu.students.models import Enrolment
from ruraledu.supervision.photos import check_photo, save_with_photo
from ruraledu.workforce.models import Post, StaffPerson

from .choices import CARE_FLAGS, ContactKind
from .models import CareContact, RoomActivity
from .permissions import may_work

NOT_FOUND = "该学生不存在或不在您的范围内。"


def _require_reach(actor, path: str, message: str = NOT_FOUND) -> None:
    if not may_work(actor, path):
        raise PermissionDenied(message)


def _on_the_list(enrolment: Enrolment) -> None:
    if not any(getattr(enrolment, flag) for flag in CARE_FLAGS):
        raise ValidationError("该学生的学籍没有标记为留守儿童或困境儿童，不在关爱名单中。")


def _text(value: str, what: str, minimum: int = 1) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise ValidationError(
            f"请填写{what}。" if minimum == 1 else f"{what}过短（至少 {minimum} 个字）。"
        )
    return value


def school_staff(*, school: School, year: int):
    """The staff holding a post at the school (or one of its campuses) in `year`: whom a
    child's mentor may be chosen from."""
    posts = Post.objects.filter(year=year, school__org_unit__path__startswith=school.org_unit.path)
    return StaffPerson.objects.filter(pk__in=posts.values("person_id")).order_by("name", "pk")


@transaction.atomic
def mentor_assign(
    *, enrolment: Enrolment, mentor: StaffPerson | None, actor, address: str | None = None
) -> Enrolment:
    """Assign (or, with None, withdraw) the child's mentor (成长导师) for the enrolment's year:
    a member of the school's staff that year."""
    # only the enrolment's row is locked (PostgreSQL locks no outer-joined row)
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("school__org_unit")
        .get(pk=enrolment.pk)
    )
    _require_reach(actor, enrolment.school.org_unit.path)
    _on_the_list(enrolment)
    if mentor is not None and not (
        school_staff(school=enrolment.school, year=enrolment.year).filter(pk=mentor.pk).exists()
    ):
        raise ValidationError("成长导师须是本校本学年在职的教职工。")
    if enrolment.mentor_id == (mentor.pk if mentor else None):
        return enrolment
    before = snapshot(enrolment, ["mentor"])
    enrolment.mentor = mentor
    enrolment.save(update_fields=["mentor"])
    audit_record(
        actor=actor,
        instance=enrolment,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(enrolment, ["mentor"]),
        summary=f"留守与困境儿童关爱：{'指定成长导师 ' + mentor.name if mentor else '取消成长导师'}",
        address=address,
    )
    return enrolment


@transaction.atomic
def contact_add(
    *,
    enrolment: Enrolment,
    actor,
    on: dt.date,
    kind: str,
    who: str,
    content: str,
    follow_up: str = "",
    address: str | None = None,
) -> CareContact:
    """Log a contact with a child on the care list (谈心, 家访, a call or video call with the
    guardian), at the child's school of that year."""
    school_unit = enrolment.school.org_unit
    _require_reach(actor, school_unit.path)
    _on_the_list(enrolment)
    check_day_in_year(on, enrolment.year, "联系日期")
    if kind not in ContactKind.values:
        raise ValidationError("请选择联系方式。")
    contact = CareContact(
        person_id=enrolment.person_id,
        school=enrolment.school,
        unit=school_unit,
        year=enrolment.year,
        on=on,
        kind=kind,
        who=_text(who, "联系人"),
        content=_text(content, "联系内容", 5),
        follow_up=(follow_up or "").strip(),
        recorded_by=actor,
    )
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor,
        instance=contact,
        action=AuditAction.CREATE,
        after=snapshot(contact),
        summary=f"留守与困境儿童关爱：{contact.get_kind_display()}记录",
        address=address,
    )
    return contact


@transaction.atomic
def activity_add(
    *,
    school: School,
    actor,
    on: dt.date,
    title: str,
    participants: int,
    led_by: str,
    note: str = "",
    photo: tuple[bytes, str] | None = None,
    address: str | None = None,
) -> RoomActivity:
    """Log an activity held in the school's 留守儿童关爱室, with an optional photo (data,
    file name): a real JPEG or PNG, stored re-encoded without its metadata."""
    _require_reach(actor, school.org_unit.path, "该学校不存在或不在您的范围内。")
    year = school_year_of(on)
    check_day_in_year(on, year, "活动日期")
    if participants is None or participants < 1:
        raise ValidationError("参加人数至少为 1 人。")
    activity = RoomActivity(
        school=school,
        unit=school.org_unit,
        year=year,
        on=on,
        title=_text(title, "活动内容", 2),
        participants=participants,
        led_by=_text(led_by, "组织人"),
        note=(note or "").strip(),
        recorded_by=actor,
    )
    if photo is None:
        activity.full_clean()
        activity.save()
    else:
        try:
            checked = check_photo(*photo)
        except EvidenceRefused as error:
            raise ValidationError(error.message) from error
        save_with_photo(activity, checked)
    audit_record(
        actor=actor,
        instance=activity,
        action=AuditAction.CREATE,
        after=snapshot(activity),
        summary="留守儿童关爱室活动记录",
        address=address,
    )
    return activity
