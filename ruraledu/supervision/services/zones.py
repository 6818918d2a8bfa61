"""Zones, 挂牌 inspectors and researchers' 包校 links: the bureau's assignments. An assignment
also gives (or takes back) the role on the school, so the one permission policy decides what
an inspector or researcher may do and where."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from ruraledu.accounts.choices import Role
from ruraledu.accounts.models import RoleAssignment
from ruraledu.activities.models import SchoolLink
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.locks import refused_if_taken
from ruraledu.core.schoolyear import (
    check_day_in_year,
    current_school_year,
)
from ruraledu.reporting.evidence import EvidenceRefused

from ..models import InspectorAssignment, InspectorPhoto, StaffAccount, Zone
from ..models.zones import ONE_CURRENT
from ..permissions import may_configure, require
from ..photos import check_photo, save_with_photo

BUREAU_ONLY = "只有区教体局可以调整督导责任区和人员安排。"


@transaction.atomic
def zone_save(*, actor, name: str, schools, town=None, zone: Zone | None = None) -> Zone:
    """Create or change a 督导责任区 and its schools."""
    require(may_configure(actor), BUREAU_ONLY)
    before = snapshot(zone) if zone else {}
    zone = zone or Zone()
    zone.name, zone.town = name.strip(), town
    zone.full_clean()
    zone.save()
    zone.schools.set(schools)
    after = {**snapshot(zone), "schools": sorted(s.org_unit.code for s in zone.schools.all())}
    audit_record(
        actor=actor,
        instance=zone,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after=after,
        summary=f"督导责任区：{zone.name}",
    )
    return zone


def _grant(user, role: str, unit) -> None:
    RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=unit)


def _inspector_role_follows(inspector, school, since: int | None = None) -> None:
    """Give or take back the inspector's role on the school: held while an assignment there
    of the current school year (`since`) or a later one is open; one left open in a past
    year grants nothing."""
    since = current_school_year() if since is None else since
    _role_follows(inspector, Role.INSPECTOR, school, inspector_grounds(inspector, school, since))


def inspector_grounds(inspector, school, since: int):
    """The open assignments of the inspector there, of school year `since` or later."""
    return InspectorAssignment.objects.filter(
        inspector=inspector, school=school, ended_on__isnull=True, year__gte=since
    )


def _role_follows(user, role: str, school, grounds) -> None:
    """The user holds the role on the school while `grounds` (a queryset) finds a row."""
    if grounds.exists():
        _grant(user, role, school.org_unit)
    else:
        RoleAssignment.objects.filter(user=user, role=role, org_unit=school.org_unit).delete()


@transaction.atomic
def inspector_assign(
    *,
    actor,
    school,
    inspector,
    year: int,
    started_on: dt.date,
    zone: Zone | None = None,
    work_phone: str = "",
    duties: str = "",
) -> InspectorAssignment:
    """Make `inspector` the school's 挂牌 责任督学 for `year`; the previous one's assignment
    ends that day (kept as history) and their role on the school goes with it."""
    require(may_configure(actor), BUREAU_ONLY)
    # an assignment of one year starting in another would be counted in neither's plan
    check_day_in_year(started_on, year, "开始日期")
    current = (
        InspectorAssignment.objects.select_for_update()
        .filter(school=school, year=year, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if current.inspector_id == inspector.pk:
            raise ValidationError("该督学已是这所学校本学年的挂牌责任督学。")
        inspector_unassign(actor=actor, assignment=current, ended_on=started_on)
    assignment = InspectorAssignment(
        school=school,
        inspector=inspector,
        zone=zone,
        year=year,
        started_on=started_on,
        work_phone=work_phone,
        duties=duties,
    )
    assignment.full_clean()
    with refused_if_taken(ONE_CURRENT):  # the school's inspector, assigned a moment ago
        assignment.save()
    _inspector_role_follows(inspector, school)
    audit_record(
        actor=actor,
        instance=assignment,
        action=AuditAction.CREATE,
        after=snapshot(assignment),
        summary=f"挂牌督学：{inspector} 负责 {school}",
    )
    return assignment


@transaction.atomic
def inspector_unassign(
    *, actor, assignment: InspectorAssignment, ended_on: dt.date
) -> InspectorAssignment:
    """End an assignment (the row stays) and take back the inspector's role on the school.
    The end lies in the assignment's school year, from its start and not ahead of today."""
    require(may_configure(actor), BUREAU_ONLY)
    # one end at a time for this inspector and school: two years' assignments ended at once
    # would each see the other still open, and the role would stay with none open
    list(
        InspectorAssignment.objects.select_for_update()
        .filter(inspector_id=assignment.inspector_id, school_id=assignment.school_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # what the caller loaded may predate another user's end, made while we waited
    assignment.refresh_from_db(fields=["ended_on"])
    if assignment.ended_on is not None:
        raise ValidationError("该挂牌安排已经结束。")
    if ended_on < assignment.started_on:
        raise ValidationError(f"结束日期不能早于开始日期（{assignment.started_on:%Y-%m-%d}）。")
    # as with the start: an end past the year would count the assignment in the next year's plan
    check_day_in_year(ended_on, assignment.year, "结束日期")
    summary = f"挂牌督学：{assignment.inspector} 不再负责 {assignment.school}"
    store_end(assignment, ended_on, actor, summary, clean=True)
    # the role stays while another assignment there, of the current year or later, is open
    _inspector_role_follows(assignment.inspector, assignment.school)
    return assignment


def store_end(assignment, ended_on: dt.date, actor, summary: str, clean=False) -> None:
    """Store the assignment's end, audited; the caller decides about the role."""
    before = snapshot(assignment)
    assignment.ended_on = ended_on
    if clean:  # a user's end is checked like any form's; a year start's is derived
        assignment.full_clean(validate_constraints=False)
    assignment.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        instance=assignment,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(assignment),
        summary=summary,
    )


def _researcher_role_follows(researcher, school, since: int | None = None) -> None:
    """Give or take back the researcher's role on the school: held while they are linked to
    it (包校) for the current school year (`since`) or a later one; a past year's link, kept
    as history, grants nothing."""
    since = current_school_year() if since is None else since
    linked = SchoolLink.objects.filter(
        person__account__user=researcher, school=school, year__gte=since
    )
    _role_follows(researcher, Role.RESEARCHER, school, linked)


@transaction.atomic
def staff_account_link(*, actor, user, person) -> StaffAccount:
    """Say which staff record an account acts as (a 教研员's 听课 are recorded under it)."""
    require(may_configure(actor), BUREAU_ONLY)
    link = StaffAccount(user=user, person=person)
    link.full_clean()
    link.save()
    audit_record(
        actor=actor,
        instance=link,
        action=AuditAction.CREATE,
        after=snapshot(link),
        summary=f"账号 {user} 对应教职工 {person}",
    )
    return link


@transaction.atomic
def school_link_assign(*, actor, researcher, school, year: int) -> SchoolLink:
    """包校/定点联系: link a researcher to a school for a year. The link is the same
    activities.SchoolLink row the Excel import writes (indicators read it); the researcher
    gets the role on the school that lets them record 听课 there."""
    require(may_configure(actor), BUREAU_ONLY)
    account = StaffAccount.objects.filter(user=researcher).select_related("person").first()
    if account is None:
        raise ValidationError("该账号还没有对应的教职工记录，请先关联教职工。")
    link, created = SchoolLink.objects.get_or_create(
        person=account.person, school=school, year=year
    )
    if not created:
        raise ValidationError("该教研员本学年已联系这所学校。")
    _researcher_role_follows(researcher, school)
    audit_record(
        actor=actor,
        instance=link,
        action=AuditAction.CREATE,
        after=snapshot(link),
        summary=f"包校联系：{account.person} 联系 {school}（{year}学年）",
    )
    return link


@transaction.atomic
def assignment_update(
    *, actor, assignment: InspectorAssignment, work_phone: str, duties: str
) -> InspectorAssignment:
    """Change what the 挂牌 card shows of a current assignment: work phone and duties."""
    require(may_configure(actor), BUREAU_ONLY)
    assignment = InspectorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_on is not None:
        raise ValidationError("该挂牌安排已经结束，不能修改。")
    before = snapshot(assignment)
    assignment.work_phone, assignment.duties = work_phone.strip(), duties.strip()
    assignment.full_clean(validate_constraints=False)
    assignment.save(update_fields=["work_phone", "duties"])
    audit_record(
        actor=actor,
        instance=assignment,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(assignment),
        summary=f"挂牌督学：{assignment.inspector} 的电话与职责",
    )
    return assignment


@transaction.atomic
def inspector_photo_set(*, actor, inspector, data: bytes, filename: str) -> InspectorPhoto:
    """Store (or replace) the inspector's photo for the 挂牌 card, checked and stripped of
    metadata like a visit photo."""
    require(may_configure(actor), BUREAU_ONLY)
    try:
        checked = check_photo(data, filename)
    except EvidenceRefused as exc:
        raise ValidationError(exc.message) from exc
    photo = InspectorPhoto.objects.select_for_update().filter(user=inspector).first()
    old = photo.file.name if photo else None
    photo = photo or InspectorPhoto(user=inspector)
    photo.sha256 = checked.sha256
    save_with_photo(photo, checked)
    if old:
        storage = photo.file.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit_record(
        actor=actor,
        instance=photo,
        action=AuditAction.UPLOAD,
        after={"inspector": str(inspector), "size": checked.size, "sha256": checked.sha256},
        summary=f"督学照片：{inspector}",
    )
    return photo
