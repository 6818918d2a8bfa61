"""Parameters holding characters Python counts as digits but int() refuses ("²") are read as
not numbers, never as a server error."""

import pytest
from django.urls import reverse

ODD = "²"


@pytest.mark.parametrize(
    "address",
    [
        reverse("students:enrolment_list", args=["SA"]) + f"?grade={ODD}",
        reverse("leftbehind:child_list") + f"?unit={ODD}",
        reverse("aid:gap_list") + f"?unit={ODD}",
        reverse("care:finding_list", args=["dropout"]) + f"?unit={ODD}",
        reverse("care:growth_list") + f"?unit={ODD}",
        reverse("hotline:complaint_list") + f"?year={ODD * 4}",
        reverse("indicators:target_detail", args=["P01-1"]) + f"?plan={ODD}",
    ],
)
def test_an_odd_digit_in_a_page_address_is_no_server_error(
    client, district_admin, school_a, address
):
    client.force_login(district_admin)
    assert client.get(address).status_code < 500


@pytest.mark.parametrize("key", ["year", "grade"])
def test_an_odd_digit_in_an_api_filter_is_a_bad_request(client, district_admin, school_a, key):
    client.force_login(district_admin)
    address = reverse("api:students") + f"?{key}={ODD * 4}"
    assert client.get(address).status_code == 400


def test_an_odd_digit_for_a_reporting_unit_is_not_found(client, district_admin, school_a):
    from django.http import Http404

    from ruraledu.reporting.views import unit_from_key

    with pytest.raises(Http404):
        unit_from_key(f"u{ODD}")
