"""Audit pages answer bad addresses with 404, never a server error."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("object_id", ["abc", "1x", "-", "99999999999999999999999"])
def test_a_record_page_with_a_malformed_id_is_not_found(client, district_admin, object_id):
    # given
    client.force_login(district_admin)
    url = reverse("audit:record_history", args=["orgunits", "department", object_id])
    # when
    response = client.get(url)
    # then
    assert response.status_code == 404


def test_a_record_page_of_an_unknown_type_is_not_found(client, district_admin):
    client.force_login(district_admin)
    response = client.get(reverse("audit:record_history", args=["nope", "nothing", "1"]))
    assert response.status_code == 404


def test_bad_search_parameters_are_ignored(client, district_admin):
    client.force_login(district_admin)
    response = client.get(
        reverse("audit:event_list"), {"type": "abc", "since": "yesterday", "page": "x"}
    )
    assert response.status_code == 200
