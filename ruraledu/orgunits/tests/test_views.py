from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ruraledu.orgunits.tests.factories import SchoolFactory


def unit_url(unit):
    return reverse("orgunits:unit_detail", args=[unit.code])


def test_anonymous_is_sent_to_login(client, school_a):
    response = client.get(unit_url(school_a.org_unit))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_clerk_opens_own_school(client, school_clerk, school_a):
    client.force_login(school_clerk)
    response = client.get(unit_url(school_a.org_unit))
    assert response.status_code == 200
    assert "甲镇中心小学" in response.content.decode()


def test_clerk_gets_404_on_another_school_by_url(client, school_clerk, school_b):
    client.force_login(school_clerk)
    assert client.get(unit_url(school_b.org_unit)).status_code == 404


def test_clerk_gets_404_on_own_town(client, school_clerk, town_a):
    client.force_login(school_clerk)
    assert client.get(unit_url(town_a)).status_code == 404


def test_town_officer_sees_own_town_schools_not_other_towns(
    client, town_officer, town_a, school_a, school_b
):
    client.force_login(town_officer)
    page = client.get(unit_url(town_a))
    assert page.status_code == 200
    assert "甲镇中心小学" in page.content.decode()
    assert "乙镇中心小学" not in page.content.decode()
    assert client.get(unit_url(school_a.org_unit)).status_code == 200
    assert client.get(unit_url(school_b.org_unit)).status_code == 404


def test_department_reporter_sees_no_school(client, department_reporter, school_a):
    client.force_login(department_reporter)
    assert client.get(unit_url(school_a.org_unit)).status_code == 404
    home = client.get(reverse("orgunits:unit_home"))
    assert "不涉及学校或镇街数据" in home.content.decode()


def test_home_redirects_a_single_scope_to_its_page(client, school_clerk, school_a):
    client.force_login(school_clerk)
    response = client.get(reverse("orgunits:unit_home"))
    assert response.status_code == 302
    assert response.url == unit_url(school_a.org_unit)


def test_district_page_lists_towns_with_counts(
    client, district_admin, district, school_a, school_b
):
    client.force_login(district_admin)
    body = client.get(unit_url(district)).content.decode()
    assert "甲镇" in body and "乙镇" in body


def test_town_page_query_count_does_not_grow_with_schools(client, town_officer, town_a, school_a):
    client.force_login(town_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(unit_url(town_a)).status_code == 200
        return len(captured)

    # given the count with one school
    before = queries()
    # when twelve more schools join the town
    for i in range(12):
        SchoolFactory(org_unit__code=f"X{i}", org_unit__parent=town_a)
    # then the page costs exactly the same number of queries
    assert queries() == before
    assert before <= 12


def test_htmx_filter_returns_only_the_matching_rows(client, town_officer, town_a, school_a):
    SchoolFactory(org_unit__code="X1", org_unit__name="甲镇幼儿园", org_unit__parent=town_a)
    client.force_login(town_officer)
    response = client.get(unit_url(town_a), {"q": "幼儿"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "甲镇幼儿园" in body
    assert "甲镇中心小学" not in body


def test_vendored_assets_are_served_locally(client):
    for path in (
        "/static/vendor/bootstrap-5.3.9/bootstrap.min.css",
        "/static/vendor/htmx-2.0.11/htmx.min.js",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"".join(response.streaming_content)[:100]
