"""Who hears of a school's 整改: its clerks (they answer) and its current 挂牌 inspector(s)
(they verify), as the deadline reminders and the workflow notices both reach them."""

from django.contrib.auth import get_user_model

from ruraledu.accounts.choices import Role
from ruraledu.accounts.models import RoleAssignment

from ..models import InspectorAssignment


def school_clerks(school):
    """Active users holding the clerk's role on the school itself."""
    clerks = RoleAssignment.objects.filter(
        role=Role.SCHOOL_CLERK, org_unit_id=school.org_unit_id
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=clerks, is_active=True)


def school_inspectors(school):
    """Active users currently 挂牌 at the school."""
    inspectors = InspectorAssignment.objects.filter(
        school_id=school.pk, ended_on__isnull=True
    ).values("inspector_id")
    return get_user_model().objects.filter(pk__in=inspectors, is_active=True)
