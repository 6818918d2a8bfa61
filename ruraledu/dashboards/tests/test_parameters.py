"""A malformed `?year=` on the dashboards is ignored: the page is the one without it."""

import pytest
from django.urls import reverse

BAD = ["-1", "0", "99999", "abc", "", "99999999999999999999999", "2025.5"]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("page", ["yzjh", "profile"])
def test_a_bad_year_shows_the_default_year(client, district_admin, school_a, page, value):
    client.force_login(district_admin)
    if page == "yzjh":
        url = reverse("dashboards:yzjh")
    else:
        url = reverse("dashboards:unit_profile", args=[school_a.org_unit.code])
    plain = client.get(url)
    response = client.get(url, {"year": value})
    assert (plain.status_code, response.status_code) == (200, 200)
    key = "year" if page == "yzjh" else "body"  # the profile's body is rendered once and cached
    assert response.context[key] == plain.context[key]
