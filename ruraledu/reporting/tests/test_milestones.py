"""The milestone list shows each milestone's latest report line only from reports the user may
see: a draft only to its authors and reviewers, a handed-in report to its usual view scope."""

import pytest
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.orgunits.tests.factories import DepartmentFactory
from ruraledu.plans.models import Plan
from ruraledu.reporting import selectors, services

from .conftest import fill, start


@pytest.fixture
def other_reporter(db):
    """A reporter of another department, on the same project's schedule or not."""
    user = UserFactory(username="other_reporter")
    other = DepartmentFactory(code="civil", name="区民政局")
    RoleAssignmentFactory(user=user, role=Role.DEPARTMENT_REPORTER, department=other)
    return user


@pytest.fixture
def colleague(department):
    """A second reporter of the draft's department: an author too."""
    user = UserFactory(username="colleague")
    RoleAssignmentFactory(user=user, role=Role.DEPARTMENT_REPORTER, department=department)
    return user


@pytest.fixture
def department_draft(draft, department_reporter, milestone):
    return fill(draft, department_reporter, milestone, progress="in_progress", evidence=False)


def latest_report(user, milestone):
    """The report behind the milestone's "latest" line as `user` sees it (None for none)."""
    plan = Plan.objects.get(pk=milestone.plan_id)
    (target,) = [t for t in selectors.milestone_list(user=user, plan=plan) if t.pk == milestone.pk]
    return target.latest_line.report.pk if target.latest_line else None


def test_a_draft_line_is_seen_only_by_its_authors_and_reviewers(
    request, department_draft, milestone
):
    # given a department's draft with a line on the milestone
    # then its authors and the reviewers see the line …
    for persona in ("department_reporter", "colleague", "district_admin"):
        user = request.getfixturevalue(persona)
        assert latest_report(user, milestone) == department_draft.pk, persona
    # … and nobody else does
    for persona in ("other_reporter", "town_officer", "school_clerk", "district_leader"):
        user = request.getfixturevalue(persona)
        assert latest_report(user, milestone) is None, persona


def test_a_submitted_line_follows_the_usual_view_scope(
    request, department_draft, department_reporter, milestone
):
    # given the department's report is handed in
    services.report_submit(report=department_draft, actor=department_reporter)
    # then the district and the department see it, other units still do not
    for persona in ("department_reporter", "colleague", "district_admin", "district_leader"):
        user = request.getfixturevalue(persona)
        assert latest_report(user, milestone) == department_draft.pk, persona
    for persona in ("other_reporter", "town_officer", "school_clerk"):
        user = request.getfixturevalue(persona)
        assert latest_report(user, milestone) is None, persona


def test_an_approved_school_line_is_seen_by_its_town_but_not_by_other_units(
    request, period, school_a, school_clerk, district_admin, milestone
):
    # given a school's approved report
    report = fill(start(period, school_clerk, org_unit=school_a.org_unit), school_clerk, milestone)
    report = services.report_submit(report=report, actor=school_clerk)
    services.report_approve(report=report, actor=district_admin, confirm_done=[milestone.pk])
    # then the school, its town and the district see the line
    for persona in ("school_clerk", "town_officer", "district_admin", "district_leader"):
        user = request.getfixturevalue(persona)
        assert latest_report(user, milestone) == report.pk, persona
    for persona in ("outsider", "other_reporter", "department_reporter"):
        user = request.getfixturevalue(persona)
        assert latest_report(user, milestone) is None, persona


def test_a_visible_older_line_stands_in_for_a_hidden_newer_draft(
    period, department, department_reporter, district_leader, milestone
):
    # given Q1 submitted and Q2 still a draft
    from ruraledu.reporting.models import ReportingPeriod

    q1 = fill(
        start(period, department_reporter, department=department), department_reporter, milestone
    )
    q1 = services.report_submit(report=q1, actor=department_reporter)
    q2_period = ReportingPeriod.objects.exclude(pk=period.pk).get(project=period.project)
    q2 = fill(
        start(q2_period, department_reporter, department=department),
        department_reporter,
        milestone,
        evidence=False,
        progress="in_progress",
    )
    # then the leader sees Q1's line and the author sees Q2's
    assert latest_report(district_leader, milestone) == q1.pk
    assert latest_report(department_reporter, milestone) == q2.pk


def test_the_milestone_page_does_not_show_another_departments_draft(
    client, department_draft, other_reporter, district_leader, department_reporter
):
    link = reverse("reporting:report_detail", args=[department_draft.pk])
    for user in (other_reporter, district_leader):
        client.force_login(user)
        page = client.get(reverse("reporting:milestone_list")).content.decode()
        assert "P01-1" in page
        assert link not in page and "推进中" not in page.split("data-testid")[1]
    client.force_login(department_reporter)
    page = client.get(reverse("reporting:milestone_list")).content.decode()
    assert link in page
