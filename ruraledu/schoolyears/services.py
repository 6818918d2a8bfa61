"""A school year's life above the registry: each school's progress while a year is being
collected, the schools' checks and the bureau's confirmation (which re-judges the targets).
Starting a year copies the declared yearly kinds (`core.rollforward`)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, is_bureau
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.models import SchoolYear, SchoolYearCheck, SchoolYearState
from ruraledu.facilities.models import FacilityRecord, KindergartenClass
from ruraledu.indicators.evaluation import evaluate_targets
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.students.models import Enrolment
from ruraledu.workforce.models import Post


@dataclass
class SchoolProgress:
    unit: object
    students: int
    students_before: int
    staff: int
    staff_before: int
    facility: bool
    check: SchoolYearCheck | None

    @property
    def problems(self) -> list[str]:
        found = []
        if not self.facility:
            found.append("缺办学条件")
        if not self.students:
            found.append("无学生")
        if not self.staff:
            found.append("无教职工")
        return found


def school_progress(*, year: int, user) -> list[SchoolProgress]:
    """Each school the user sees: records this year against last year, and its check."""
    schools = list(
        School.objects.for_user(user)
        .filter(org_unit__kind=OrgUnitKind.SCHOOL)
        .select_related("org_unit__parent")
        .order_by("org_unit__path")
    )
    # records kept at a campus (教学点, 分园) count for its school
    school_of = {s.pk: s.pk for s in schools}
    school_of.update(
        OrgUnit.objects.filter(parent_id__in=list(school_of), kind=OrgUnitKind.CAMPUS).values_list(
            "pk", "parent_id"
        )
    )
    ids = list(school_of)

    def counts(model, y, total=None):
        rows = model.objects.filter(year=y, school_id__in=ids).values("school_id")
        found: dict[int, int] = {}
        for unit, n in rows.annotate(n=total or Count("pk")).values_list("school_id", "n"):
            found[school_of[unit]] = found.get(school_of[unit], 0) + (n or 0)
        return found

    # a kindergarten's children are counted in its classes, not on the pupil roster
    children = Sum("children")
    students, students_before = (
        {**counts(KindergartenClass, y, children), **counts(Enrolment, y)} for y in (year, year - 1)
    )
    staff, staff_before = counts(Post, year), counts(Post, year - 1)
    facility = set(
        school_of[unit]
        for unit in FacilityRecord.objects.filter(year=year, school_id__in=ids).values_list(
            "school_id", flat=True
        )
    )
    checks = {
        c.unit_id: c
        for c in SchoolYearCheck.objects.filter(year_id=year).select_related("checked_by")
    }
    return [
        SchoolProgress(
            s.org_unit,
            students.get(s.pk, 0),
            students_before.get(s.pk, 0),
            staff.get(s.pk, 0),
            staff_before.get(s.pk, 0),
            s.pk in facility,
            checks.get(s.pk),
        )
        for s in schools
    ]


def _collecting(year: int) -> SchoolYear:
    school_year = SchoolYear.objects.select_for_update().filter(year=year).first()
    if school_year is None or school_year.state != SchoolYearState.COLLECTING:
        raise ValidationError("该学年不在填报中")
    return school_year


@transaction.atomic
def school_check_set(*, year: int, unit, actor, checked: bool) -> None:
    """A school (its clerk or town office) says its data of a collecting year is checked."""
    if not Reach(actor, Action.CHANGE).covers(unit.path):
        raise PermissionDenied("无权核对该学校的数据")
    school_year = _collecting(year)
    existing = SchoolYearCheck.objects.filter(year=school_year, unit=unit).first()
    if checked and existing is None:
        check = SchoolYearCheck.objects.create(year=school_year, unit=unit, checked_by=actor)
        audit_record(
            actor=actor,
            instance=check,
            action=AuditAction.CREATE,
            after=snapshot(check),
            summary=f"{unit.name}确认{school_year}数据已核对",
        )
    elif not checked and existing is not None:
        audit_record(
            actor=actor,
            instance=existing,
            action=AuditAction.DELETE,
            before=snapshot(existing),
            summary=f"{unit.name}撤回{school_year}数据核对",
        )
        existing.delete()


@transaction.atomic
def school_year_confirm(*, year: int, actor) -> int:
    """The bureau confirms a collected year: from now on it is judged and shown as the
    headline. Returns how many targets changed status on that account."""
    if not is_bureau(actor):
        raise PermissionDenied("只有区教体局可以确认学年数据")
    school_year = _collecting(year)
    before = snapshot(school_year)
    school_year.state = SchoolYearState.CONFIRMED
    school_year.confirmed_at, school_year.confirmed_by = timezone.now(), actor
    school_year.save()
    audit_record(
        actor=actor,
        instance=school_year,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(school_year),
        summary=f"确认{school_year}数据",
    )
    return evaluate_targets()


@transaction.atomic
def school_year_open(*, year: int, actor) -> dict[str, int]:
    """The bureau opens the year after the current one (填报中), copying last year's yearly
    records forward; the opening is audited. Returns the records copied per kind."""
    from ruraledu.core.rollforward import rolled_kinds, school_year_start
    from ruraledu.core.schoolyear import current_school_year, school_year_label
    from ruraledu.indicators.changes import changing

    if not is_bureau(actor):
        raise PermissionDenied("只有区教体局管理员可以开始新学年。")
    if year != current_school_year() + 1:
        raise ValidationError("只能开始紧接当前学年的下一学年。")
    # the indicators' change record: the copies are the new year's records only
    with changing(*(kind.model for kind in rolled_kinds()), year=year, units=None):
        copied = school_year_start(year=year, actor=actor)
    school_year = SchoolYear.objects.get(year=year)
    audit_record(
        actor=actor,
        instance=school_year,
        action=AuditAction.CREATE,
        after={**snapshot(school_year), "copied": copied},
        summary=f"开始{school_year_label(year)}",
    )
    return copied
