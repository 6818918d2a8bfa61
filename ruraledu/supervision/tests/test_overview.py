"""Pages per zone and per inspector, and the school profile's supervision panel: figures for
the schools in the user's view only; a zone or inspector with none of them is a 404."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.audit.models import AuditEvent
from ruraledu.core.schoolyear import semester_of

from .. import services
from ..plan import term_months
from .conftest import YEAR, items_of, signed_visit_with_findings
from .test_plan import signed_visit


@pytest.fixture
def zone(district_admin, school_a, school_b):
    return services.zone_save(actor=district_admin, name="甲乙责任区", schools=[school_a, school_b])


@pytest.fixture
def zone_b(district_admin, school_b):
    return services.zone_save(actor=district_admin, name="乙镇责任区", schools=[school_b])


@pytest.fixture
def worked(inspector, other_inspector, school_a, school_b, kind):
    """School A: a visit today, two items (one overdue); school B: nothing."""
    signed_visit(school_a, inspector, kind, timezone.localdate())
    _, findings = signed_visit_with_findings(school_a, inspector, kind)
    first, second = items_of(findings, inspector, deadline=dt.date(2025, 10, 20))
    services.notice_issue(actor=inspector, items=[first], issued_on=dt.date(2025, 9, 23))
    return first, second


def _rows(response):
    return {r.school.org_unit.code: r for r in response.context["rows"]}


def test_the_inspector_page_shows_visits_against_plan_items_and_observations(
    client, inspector, worked, researcher, school_a, district_admin
):
    # given the researcher linked to school A this school year, with one 听课 today
    today = timezone.localdate()
    services.school_link_assign(
        actor=district_admin, researcher=researcher, school=school_a, year=semester_of(today)[0]
    )
    services.observation_record(actor=researcher, school=school_a, held_on=today)

    # when
    client.force_login(inspector)
    response = client.get(reverse("supervision:inspector_detail", args=[inspector.pk]))

    # then one visit of one expected this month; the term's months each expect one
    assert response.status_code == 200
    row = _rows(response)["SA"]
    assert (row.month.done, row.month.expected) == (1, 1)
    assert (row.term.done, row.term.expected) == (1, len(term_months(timezone.localdate())))
    assert (row.open_items, row.overdue_items) == (2, 1)  # the un-notified one is not overdue
    assert (row.observations, row.observations_required) == (1, 8)
    assert "甲镇中心小学" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("inspector", 200),
        ("district_leader", 200),
        ("town_officer", 200),
        ("district_admin", 200),
        ("other_inspector", 404),
        ("outsider", 404),
    ],
)
def test_an_inspector_page_is_not_found_without_one_of_their_schools(
    client, request, inspector, worked, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("supervision:inspector_detail", args=[inspector.pk])
    assert client.get(url).status_code == status


def test_a_zone_page_lists_only_the_schools_in_view(
    client, inspector, other_inspector, worked, zone, zone_b, district_leader
):
    # given a zone of schools A and B
    url = reverse("supervision:zone_detail", args=[zone.pk])

    # when the inspector of A opens it, then only A shows
    client.force_login(inspector)
    assert set(_rows(client.get(url))) == {"SA"}
    # a zone holding only B is not found for them
    assert client.get(reverse("supervision:zone_detail", args=[zone_b.pk])).status_code == 404

    # the leader sees both, with their inspectors and totals summed
    client.force_login(district_leader)
    response = client.get(url)
    rows = _rows(response)
    assert set(rows) == {"SA", "SB"}
    assert rows["SB"].inspector == other_inspector
    assert response.context["totals"].month.expected == 2
    assert response.context["totals"].month.done == 1


def test_anonymous_is_sent_to_login(client, zone):
    response = client.get(reverse("supervision:zone_detail", args=[zone.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_overview_lists_zones_and_inspectors_in_view(
    client, inspector, other_inspector, zone, zone_b
):
    client.force_login(inspector)
    response = client.get(reverse("supervision:overview"))
    assert [z.name for z in response.context["zones"]] == ["甲乙责任区"]
    assert [i["pk"] for i in response.context["inspectors"]] == [inspector.pk]


def test_the_school_profile_shows_the_panel_to_those_who_see_the_school(
    client, worked, school_a, school_clerk, outsider
):
    # given the school's clerk on its profile
    client.force_login(school_clerk)
    url = reverse("dashboards:unit_profile", args=[school_a.org_unit.code])

    # when
    response = client.get(url)

    # then its last visits, open items and the month's count show
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="supervision-panel"' in html
    assert "本月督导 <strong>1 / 1</strong>" in html
    assert "未销号整改 <strong>2</strong> 项（逾期 1 项）" in html
    # an outsider does not reach the profile at all
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_bureau_sets_the_frequency_on_its_page_audited_and_the_plan_follows(
    client, district_admin, inspector, worked, kind, town_officer
):
    # given a town officer trying first: not found, nothing changed
    url = reverse("supervision:kind_edit", args=[kind.pk])
    client.force_login(town_officer)
    assert client.post(url, {"name": kind.name, "visits_per_month": "3"}).status_code == 404
    kind.refresh_from_db()
    assert kind.visits_per_month == 1

    # when the bureau raises 经常性督导 to twice a month
    client.force_login(district_admin)
    client.post(url, {"name": kind.name, "visits_per_month": "2", "order": "0"})

    # then it is audited with before and after
    event = AuditEvent.objects.filter(object_id=str(kind.pk), summary__contains="督导类型").latest(
        "pk"
    )
    assert (event.before["visits_per_month"], event.after["visits_per_month"]) == (1, 2)
    # and the inspector's page expects two visits this month
    client.force_login(inspector)
    response = client.get(reverse("supervision:inspector_detail", args=[inspector.pk]))
    row = _rows(response)["SA"]
    assert (row.month.done, row.month.expected) == (1, 2)


def test_the_zone_page_reads_the_same_number_of_queries_whatever_its_schools(
    client, district_admin, district_leader, worked, zone, town_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ruraledu.orgunits.tests.factories import SchoolFactory

    url = reverse("supervision:zone_detail", args=[zone.pk])
    client.force_login(district_leader)
    client.get(url)  # warm the session and role caches
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    # given four more schools in the zone, two with an inspector
    more = [SchoolFactory(org_unit__parent=town_a) for _ in range(4)]
    for school in more[:2]:
        services.inspector_assign(
            actor=district_admin,
            school=school,
            inspector=UserFactory(),
            year=YEAR,
            started_on=dt.date(2025, 9, 1),
        )
    services.zone_save(
        actor=district_admin, name=zone.name, schools=[*zone.schools.all(), *more], zone=zone
    )
    # when / then
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(response.context["rows"]) == 6
    assert len(after) == len(before)
