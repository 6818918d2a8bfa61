"""The policy-violation report endpoint: both report formats stored, one row per kind with a
count, query strings dropped, and a flood, an oversized or a malformed body refused without
writing anything; the bureau reads the reports, nobody else."""

import json

import pytest
from django.core.cache import caches

from ruraledu.audit import csp_reports
from ruraledu.audit.models import CspReport

URL = "/audit/csp-report/"
REPORT_URI = {
    "csp-report": {
        "document-uri": "http://testserver/students/schools/S1/?q=张小明",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "script-src 'self'; report-uri /audit/csp-report/",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "http://testserver/students/schools/S1/?q=张小明",
        "status-code": 200,
        "script-sample": 'window.__injected = "ran";',
    }
}
REPORT_TO = [
    {
        "type": "csp-violation",
        "age": 3,
        "url": "http://testserver/accounts/login/",
        "body": {
            "documentURL": "http://testserver/accounts/login/",
            "blockedURL": "https://evil.example/x.js?session=abc",
            "effectiveDirective": "script-src-elem",
            "disposition": "enforce",
            "lineNumber": 3,
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


@pytest.fixture(autouse=True)
def fresh_counts(db):
    caches[csp_reports.COUNTS_CACHE].clear()


def post(client, body, content_type="application/csp-report", **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data, content_type=content_type, **extra)


def test_a_browser_report_is_stored_without_the_query_string(client):
    # when a browser (not signed in, no CSRF token) reports an inline script
    response = post(client, REPORT_URI)
    # then it is stored, with the page address cut before its query
    assert response.status_code == 204
    report = CspReport.objects.get()
    assert report.document == "http://testserver/students/schools/S1/"
    assert (report.directive, report.blocked, report.line) == ("script-src-elem", "inline", 12)
    assert report.sample == 'window.__injected = "ran";'
    assert report.count == 1
    assert "张小明" not in json.dumps(list(CspReport.objects.values()), default=str)


def test_the_same_violation_again_adds_to_its_count(client):
    post(client, REPORT_URI)
    post(client, REPORT_URI)
    assert CspReport.objects.get().count == 2


def test_the_reporting_api_format_is_read_too(client):
    response = post(client, REPORT_TO, content_type="application/reports+json")
    assert response.status_code == 204
    report = CspReport.objects.get()  # the deprecation report is not a CSP one
    assert report.blocked == "https://evil.example/x.js"
    assert report.document == "http://testserver/accounts/login/"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{not json", 400),
        ({"something": "else"}, 400),
        ({"csp-report": {"blocked-uri": "inline"}}, 400),
        ({"csp-report": {**REPORT_URI["csp-report"], "pad": "x" * 20_000}}, 413),
    ],
)
def test_malformed_or_oversized_bodies_are_refused_and_nothing_is_stored(client, body, status):
    response = post(client, body)
    assert response.status_code == status
    assert response.content.decode()  # a Chinese reason, as plain text
    assert not CspReport.objects.exists()


def test_one_address_is_limited_to_a_few_reports_a_minute(client, monkeypatch):
    # given a limit of 3 a minute
    monkeypatch.setattr(csp_reports, "PER_MINUTE", 3)
    # when one address sends five
    codes = [post(client, REPORT_URI).status_code for _ in range(5)]
    # then the fourth and fifth are refused and not counted
    assert codes == [204, 204, 204, 429, 429]
    assert CspReport.objects.get().count == 3
    # and another address still gets through
    assert post(client, REPORT_URI, REMOTE_ADDR="10.9.9.9").status_code == 204


def test_new_kinds_stop_at_the_ceiling_but_known_ones_are_counted(client, monkeypatch):
    monkeypatch.setattr(csp_reports, "MAX_KINDS", 1)
    post(client, REPORT_URI)
    post(client, REPORT_TO, content_type="application/reports+json")
    post(client, REPORT_URI)
    assert list(CspReport.objects.values_list("blocked", "count")) == [("inline", 2)]


def test_only_posts_are_taken(client):
    assert client.get(URL).status_code == 405


def test_the_bureau_reads_the_reports(client, district_admin):
    post(client, REPORT_URI)
    client.force_login(district_admin)
    page = client.get("/audit/csp-reports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "script-src-elem" in html
    assert "http://testserver/students/schools/S1/" in html


@pytest.mark.parametrize("persona", ["district_leader", "town_officer", "school_clerk"])
def test_others_get_a_404(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/audit/csp-reports/").status_code == 404


def test_a_report_from_a_user_still_at_the_password_change_step_is_stored(client):
    from ruraledu.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(must_change_password=True))
    assert post(client, REPORT_URI).status_code == 204
    assert CspReport.objects.count() == 1
