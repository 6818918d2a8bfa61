"""A real browser reports an injected inline script to the platform, which stores it."""

import re
import time

import pytest

from ruraledu.audit.models import CspReport

pytestmark = pytest.mark.browser

INJECTED = '<script>window.__injected = "ran";</script>'


def test_an_injected_inline_script_is_blocked_and_its_report_is_stored(page, db):
    # given the login page with an inline script slipped into its body, the policy kept
    def inject(route):
        response = route.fetch()
        body = response.text().replace("</body>", INJECTED + "</body>")
        route.fulfill(response=response, body=body, headers=dict(response.headers))

    page.route(re.compile(r".*/accounts/login/$"), inject)
    # when the browser opens it
    page.goto(f"{page.base}/accounts/login/")
    # then the script did not run, and the browser's report reached the platform
    assert page.evaluate("window.__injected") is None
    deadline = time.monotonic() + 15
    while not CspReport.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    report = CspReport.objects.get()
    assert report.document == f"{page.base}/accounts/login/"
    assert report.directive == "script-src-elem"
    assert report.blocked == "inline"
    assert report.count == 1
