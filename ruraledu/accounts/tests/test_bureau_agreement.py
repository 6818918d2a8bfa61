"""Who is the bureau is decided once: the review queue, the reviewers' notices, recompute,
starting a school year, the standards page and the audit trail agree for every role."""

import pytest
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.policy import is_bureau
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.core.models import SchoolYear
from ruraledu.reporting.reminders import reviewers

ROLES = {
    Role.DISTRICT_ADMIN: "district",
    Role.DISTRICT_LEADER: "district",
    Role.DEPARTMENT_REPORTER: "department",
    Role.TOWN_OFFICER: "town",
    Role.SCHOOL_CLERK: "school",
    Role.INSPECTOR: "school",
    Role.RESEARCHER: "school",
}


def opens(client, url) -> bool:
    return client.get(url).status_code == 200


@pytest.mark.parametrize("role", list(ROLES))
def test_every_bureau_decision_agrees_for_the_role(
    client, role, district, town_a, school_a, department
):
    place = {
        "district": {"org_unit": district},
        "town": {"org_unit": town_a},
        "school": {"org_unit": school_a.org_unit},
        "department": {"department": department},
    }[ROLES[role]]
    user = UserFactory(username=f"u_{role}")
    RoleAssignmentFactory(user=user, role=role, **place)
    SchoolYear.objects.create(year=2025, is_current=True)
    client.force_login(user)
    bureau = is_bureau(user)
    assert bureau == (role == Role.DISTRICT_ADMIN)
    decisions = {
        "review queue": opens(client, reverse("reporting:review_queue")),
        "reviewers' notices": user in reviewers(),
        "recompute": opens(client, reverse("indicators:recompute")),
        "school-year start": "开始2026—2027学年"
        in client.get(reverse("schoolyears:schoolyear_list")).content.decode(),
        "standards": opens(
            client, reverse("indicators:standard_edit", args=["yzjh_r1", "primary"])
        ),
        "audit trail": opens(client, reverse("audit:event_list")),
        "personal-data log": opens(client, reverse("audit:personal_access_list")),
    }
    assert decisions == dict.fromkeys(decisions, bureau)
