"""Demo aid for the current school year's first term: every child the rules qualify is paid the
first kind of aid they qualify for, except about one in forty (the gaps); three children of the
care officer's school who qualify for nothing are paid the living allowance (no longer
qualify), and one child is paid the same aid by a second school (a duplicate). Chosen in key
order, so the same district gives the same grants. Runs once: a year with grants keeps them."""

from django.db import transaction
from django.db.models import Q

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import AuditEntry, audit_bulk
from ruraledu.core.schoolyear import current_school_year
from ruraledu.orgunits.models import School
from ruraledu.students.models import Enrolment

from .choices import STAGE_GRADES, Semester
from .models import AidGrant, AidPublicity
from .rules import active_kinds, eligible_condition, kind_condition, rules_seed

SKIP_EVERY = 40  # about one qualifying child in forty gets nothing: the gap list


def _amount(kind, grade: int):
    for amount in kind.amounts.all():
        if grade in STAGE_GRADES[amount.stage]:
            return amount.per_term
    return None


@transaction.atomic
def aid_demo_setup(*, actor, school) -> int:
    """Grants of the current year's first term, once; returns the grants made. `school` (an
    org unit) is the care officer's: its lists get the wrongly paid and the duplicate."""
    rules_seed()
    year = current_school_year()
    if AidGrant.objects.filter(year=year).exists():
        return 0
    kinds = active_kinds()
    living = next(k for k in kinds if k.code == "living")
    enrolments = Enrolment.objects.filter(year=year).order_by("person_id")
    grants, paid = [], set()
    for kind in kinds:
        for person, school_id, grade in enrolments.filter(kind_condition(kind)).values_list(
            "person_id", "school_id", "grade"
        ):
            if person in paid:
                continue
            paid.add(person)
            if len(paid) % SKIP_EVERY == 0:
                continue  # qualifies, paid nothing
            grants.append(_grant(person, school_id, year, kind, _amount(kind, grade)))
    own = enrolments.filter(school_id=school.pk, grade__lte=9)
    for person, grade in own.exclude(eligible_condition()).values_list("person_id", "grade")[:3]:
        grants.append(_grant(person, school.pk, year, living, _amount(living, grade)))
    twice = next((g for g in grants if g.school_id == school.pk and g.kind_id == living.pk), None)
    other = (
        School.objects.filter(org_unit__parent_id=school.parent_id, org_unit__kind="school")
        .exclude(pk=school.pk)
        .order_by("org_unit__code")
        .first()
    )
    if twice and other:
        grants.append(_grant(twice.person_id, other.pk, year, living, twice.amount))
    created = AidGrant.objects.bulk_create(grants, batch_size=2000)
    audit_bulk(
        actor=actor,
        entries=[
            AuditEntry(AidGrant, g.pk, AuditAction.CREATE, after={"year": year})
            for g in created
            if g.pk
        ],
        summary=f"示例：{year}学年第一学期资助发放记录",
    )
    return len(grants)


def _grant(person: int, school: int, year: int, kind, amount) -> AidGrant:
    return AidGrant(
        person_id=person,
        school_id=school,
        unit_id=school,
        year=year,
        semester=Semester.AUTUMN,
        kind=kind,
        amount=amount,
    )


def aid_demo_wipe(schools) -> None:
    """Remove the aid rows of demo schools and their pupils before the generator replaces them
    (grants hold on to the children it deletes)."""
    pupils = Enrolment.objects.filter(school__in=schools).values("person")
    AidGrant.objects.filter(Q(school__in=schools) | Q(person__in=pupils)).delete()
    AidPublicity.objects.filter(school__in=schools).delete()
