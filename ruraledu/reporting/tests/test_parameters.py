"""Malformed query parameters and URL parts get a default or a 404, never a server error."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from ruraledu.core.schoolyear import year_from_request, year_param

BAD = ["-1", "0", "99999", "abc", "", "99999999999999999999999", "2025.5", " 2025", "２０２５"]
BAD_IDS = ["-1", "0", "99999", "abc", "99999999999999999999999"]


@pytest.mark.parametrize("value", [*BAD, None])
def test_year_param_takes_only_a_plausible_four_digit_year(value):
    assert year_param(value) is None


def test_year_param_and_year_from_request_accept_a_good_year():
    request = RequestFactory().get("/", {"year": "2027"})
    assert (year_param("2027"), year_from_request(request, default=2020)) == (2027, 2027)
    request = RequestFactory().get("/", {"year": "-1"})
    assert year_from_request(request, default=2020) == 2020


@pytest.mark.parametrize("value", BAD)
def test_the_holiday_page_falls_back_to_this_year(client, district_admin, value):
    client.force_login(district_admin)
    response = client.get(reverse("reporting:holiday_list"), {"year": value})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_the_holiday_page_shows_the_year_asked_for(client, district_admin):
    from ruraledu.reporting.models import CalendarDay

    CalendarDay.objects.create(date=dt.date(2030, 10, 1), kind="holiday", name="国庆节")
    client.force_login(district_admin)
    response = client.get(reverse("reporting:holiday_list"), {"year": "2030"})
    assert response.context["year"] == 2030
    assert [d.name for d in response.context["days"]] == ["国庆节"]


@pytest.mark.parametrize("value", BAD_IDS)
def test_bad_ids_in_reporting_urls_are_404(client, district_admin, submitted, period, value):
    client.raise_request_exception = False
    client.force_login(district_admin)
    gets = [
        f"/reporting/progress-reports/{value}/",
        f"/reporting/progress-reports/{value}/edit/",
        f"/reporting/evidence/{value}/",
        f"/reporting/projects/{value}/",
        f"/reporting/projects/{value}/schedule/",
    ]
    posts = [
        (f"/reporting/periods/{value}/start/", {"unit": f"d{value}"}),
        (f"/reporting/periods/{period.pk}/start/", {"unit": f"d{value}"}),
        (f"/reporting/periods/{period.pk}/start/", {"unit": f"u{value}"}),
        (f"/reporting/evidence/{value}/delete/", {}),
        (f"/reporting/holidays/{value}/delete/", {}),
        (f"/reporting/notifications/{value}/read/", {}),
        (f"/reporting/milestones/{value}/", {"status": "done", "note": "x"}),
    ]
    statuses = [client.get(url).status_code for url in gets]
    statuses += [client.post(url, data).status_code for url, data in posts]
    assert set(statuses) == {404}


@pytest.mark.parametrize("value", [*BAD, "\x00"])
def test_bad_form_values_are_refused_without_a_server_error(
    client, district_admin, submitted, milestone, value
):
    client.raise_request_exception = False
    client.force_login(district_admin)
    version = submitted.version
    for url, data in [
        (reverse("reporting:holiday_set"), {"date": value, "kind": "holiday"}),
        (
            reverse("reporting:report_approve", args=[submitted.pk]),
            {"version": value, "confirm_done": [value]},
        ),
        (
            reverse("reporting:report_return", args=[submitted.pk]),
            {"version": value, "reason": "x"},
        ),
    ]:
        # a NUL character is refused for the whole site before any view runs (400)
        assert client.post(url, data).status_code == (400 if "\x00" in value else 302)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version) == ("submitted", version)


def test_a_nul_byte_in_a_milestone_code_is_refused_not_a_server_error(
    client, district_admin, milestone
):
    client.raise_request_exception = False
    client.force_login(district_admin)
    response = client.post("/reporting/milestones/%00/", {"status": "done", "note": "x"})
    assert response.status_code == 400
    milestone.refresh_from_db()
    assert milestone.milestone_status == ""
