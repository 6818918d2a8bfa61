"""What starting a school year ends in supervision: the 挂牌 assignments still open from
earlier years, and the researcher roles that only past years' 包校 links gave.
`year_start_endings` answers it; the school-years page shows the answer before the start,
and the start acts on the same answer (connected to `core.signals.school_year_started`)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ruraledu.accounts.choices import Role
from ruraledu.accounts.models import RoleAssignment
from ruraledu.activities.kinds import SCHOOL_LINKS
from ruraledu.activities.models import SchoolLink
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.schoolyear import school_year_bounds, school_year_label

from ..models import InspectorAssignment
from .zones import inspector_grounds, store_end


@dataclass
class AssignmentEnd:
    assignment: InspectorAssignment
    ended_on: dt.date
    role: RoleAssignment | None  # the inspector's role on the school, taken back with it


@dataclass
class YearStartEndings:
    assignments: list[AssignmentEnd] = field(default_factory=list)
    researcher_roles: list[RoleAssignment] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.assignments or self.researcher_roles)


def _inspector_role(assignment, year: int) -> RoleAssignment | None:
    """The role that goes when the assignment ends: none while the inspector has an open
    assignment there of `year` or later (those are not ended, so asking first is the same)."""
    if inspector_grounds(assignment.inspector, assignment.school, year).exists():
        return None
    return RoleAssignment.objects.filter(
        user=assignment.inspector, role=Role.INSPECTOR, org_unit=assignment.school.org_unit
    ).first()


def _researcher_roles(year: int) -> list[RoleAssignment]:
    # the start copies every link of the year before into `year` (SCHOOL_LINKS rolls forward
    # unfiltered), so a link of year - 1 or later keeps the school, asked before or after
    kept_from = year - 1 if SCHOOL_LINKS.rolls_forward else year

    def link(years):
        return SchoolLink.objects.filter(
            years, person__account__user=OuterRef("user"), school__org_unit=OuterRef("org_unit")
        )

    return list(
        RoleAssignment.objects.filter(role=Role.RESEARCHER)
        .filter(Exists(link(Q(year__lt=year))))
        .exclude(Exists(link(Q(year__gte=kept_from))))
        .select_related("user", "org_unit")
        .order_by("pk")
    )


def year_start_endings(year: int, *, lock: bool = False) -> YearStartEndings:
    """What starting `year` ends: each assignment still open from an earlier year (on its
    year's last day, today if that is earlier) with the role it takes back, and each
    researcher role that no link of `year` keeps. A role given by hand is not touched."""
    today = timezone.localdate()
    past = InspectorAssignment.objects.filter(ended_on__isnull=True, year__lt=year)
    if lock:
        past = past.select_for_update()
    ends = []
    for assignment in past.select_related("school__org_unit", "inspector").order_by("pk"):
        last = school_year_bounds(assignment.year)[1]
        ended_on = max(assignment.started_on, min(today, last))
        ends.append(AssignmentEnd(assignment, ended_on, _inspector_role(assignment, year)))
    return YearStartEndings(ends, _researcher_roles(year))


@transaction.atomic
def year_start_act(*, year: int, actor=None, **sent) -> YearStartEndings:
    """School year `year` has started: end what `year_start_endings` says, audited. Connected
    to the school year's start (`sent`: the signal's own arguments)."""
    endings = year_start_endings(year, lock=True)
    for end in endings.assignments:
        a = end.assignment
        summary = f"挂牌督学：{a.inspector} 在 {a.school} 的{school_year_label(a.year)}安排随新学年开始结束"
        store_end(a, end.ended_on, actor, summary)
        if end.role is not None:
            end.role.delete()
    for role in endings.researcher_roles:
        audit_record(
            actor=actor,
            instance=role,
            action=AuditAction.DELETE,
            before=snapshot(role),
            summary=f"包校联系：{role.user} 与 {role.org_unit.name} 的联系未延续到"
            f"{school_year_label(year)}，收回其听课权限",
        )
        role.delete()
    return endings
