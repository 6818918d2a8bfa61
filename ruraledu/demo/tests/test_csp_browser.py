"""Content security policy in a real browser: an inline script slipped into a page does not
run and is reported as a violation, and the main pages of the demo (charts, htmx, forms, the
public survey) run with no violation at all."""

import re

import pytest
from django.urls import reverse

from conftest import browser_login, fits_phone
from ruraledu.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# Collects violations from the page itself (init scripts are not subject to the policy).
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
window.print = function () { window.__printed = (window.__printed || 0) + 1; };
"""
INJECTED = (
    '<script>window.__injected = "ran";</script>'
    '<img src="/static/css/site.css" alt="" onerror="window.__handler = \'ran\'">'
)


def _watch(page) -> list[str]:
    """Console lines about the policy, over every page the browser opens."""
    refused: list[str] = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return refused


def _inject(page, keep_policy: bool) -> None:
    def handle(route):
        response = route.fetch()
        headers = dict(response.headers)
        if not keep_policy:
            headers.pop("content-security-policy", None)
        body = response.text().replace("</body>", INJECTED + "</body>")
        route.fulfill(response=response, body=body, headers=headers)

    page.route(re.compile(r".*/accounts/login/$"), handle)


def test_an_injected_inline_script_and_handler_do_not_run_and_are_reported(page, db):
    # given the login page with an inline script and an inline handler slipped into its body
    refused = _watch(page)
    _inject(page, keep_policy=True)
    # when the browser opens it
    response = page.goto(f"{page.base}/accounts/login/")
    page.wait_for_load_state("networkidle")
    # then neither ran, and the browser reported both
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy + ";"
    assert page.evaluate("window.__injected") is None
    assert page.evaluate("window.__handler") is None
    violations = page.evaluate("window.__violations")
    assert "script-src-elem inline" in violations
    assert "script-src-attr inline" in violations
    assert any("inline script" in line for line in refused), refused
    # and the page itself still works: its own scripts ran
    assert page.evaluate("typeof window.htmx") == "object"


def test_the_same_injection_runs_without_the_policy(page, db):
    # given the same injection with the policy header taken out (the check above is not vacuous)
    _watch(page)
    _inject(page, keep_policy=False)
    # when the browser opens the page
    page.goto(f"{page.base}/accounts/login/")
    page.wait_for_load_state("networkidle")
    # then the script and the handler both ran
    assert page.evaluate("window.__injected") == "ran"
    assert page.evaluate("window.__handler") == "ran"


def _open(page, path: str) -> None:
    response = page.goto(f"{page.base}{path}")
    assert response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")


def test_the_main_pages_run_with_no_violation(page, transactional_db):
    # given the demo district (small) with its figures computed
    from ruraledu.demo.services import demo_setup
    from ruraledu.evaluation.models import Survey
    from ruraledu.indicators.models import IndicatorValue
    from ruraledu.indicators.services import recompute
    from ruraledu.supervision.models import Visit

    demo_setup(scale="tiny", years=[2024, 2025])
    recompute()
    refused = _watch(page)

    # the cockpit as the bureau: ECharts draws every chart
    browser_login(page, "admin", DEMO_PASSWORD)
    _open(page, "/")
    assert page.locator("[data-chart][data-drawn]").count() > 0
    assert page.locator("[data-chart] svg").count() > 0
    # the district page: typing in the search box filters the list through htmx
    _open(page, reverse("orgunits:unit_detail", args=["370302"]))
    with page.expect_response(lambda r: "q=" in r.url and r.status == 200):
        page.fill("#id_q", "昆仑")
    page.wait_for_function("location.search.includes('q=')")  # hx-push-url
    rows = page.locator("#unit-children tbody tr")
    assert rows.count() > 0
    assert all("昆仑" in text for text in rows.all_inner_texts())
    # an indicator page: choosing a year submits the form (data-autosubmit, no inline handler)
    code = IndicatorValue.objects.filter(year=2024).values_list("code", flat=True).first()
    _open(page, reverse("indicators:indicator_detail", args=[code]) + "?year=2025")
    with page.expect_navigation():
        page.locator("select[data-autosubmit]").select_option("2024")
    assert "year=2024" in page.url
    assert page.locator("select[data-autosubmit] option[selected]").get_attribute("value") == "2024"
    # the API documentation page (Swagger UI from local files)
    _open(page, "/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    assert page.evaluate("window.__violations") == []

    # a care page as the school's care officer: the case list and a case
    page.context.clear_cookies()
    browser_login(page, "care", DEMO_PASSWORD)
    _open(page, reverse("care:case_list"))
    page.locator("main a.fw-semibold[href*='/care/cases/']").first.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []

    # the supervision visit form and a school's 公示牌 (data-print) as the inspector
    page.context.clear_cookies()
    browser_login(page, "inspector", DEMO_PASSWORD)
    _open(page, reverse("supervision:home"))
    assert page.locator(f"form[action='{reverse('supervision:visit_create')}']").count() == 1
    visit = Visit.objects.filter(inspector__username="inspector").first()
    _open(page, reverse("supervision:visit_detail", args=[visit.pk]))
    # the demo's visits are signed off with their items issued: no form left to offer
    assert page.locator("main h2", has_text="发现的问题").count() == 1
    _open(page, reverse("supervision:card", args=[visit.school_id]))
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") == 1
    assert page.evaluate("window.__violations") == []

    # the public survey page on a phone, without logging in
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    survey = Survey.objects.filter(is_open=True).first()
    group = survey.groups.first().group
    _open(page, reverse("evaluation:survey_answer", args=[survey.token, group]))
    assert page.locator("input[type=radio]").count() > 0
    assert page.evaluate("getComputedStyle(document.querySelector('button')).color") == (
        "rgb(255, 255, 255)"
    )  # the stylesheet that replaced the inline style element applies
    assert fits_phone(page)

    # then no page broke the policy
    assert page.evaluate("window.__violations") == []
    assert refused == []
