"""Layout in a real browser (Playwright driving Debian's Chromium): the bureau's menu bar on one
line from 1280 px, and on a 390 px phone no page-wide scrolling and no text squeezed to a
character or two a line (issue item 18); the 优质均衡 cells show their colours (item 4)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import axe_violations, browser_login
from ruraledu.accounts.tests.factories import PASSWORD
from ruraledu.dashboards.tests.test_pages import pupils, teachers
from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.services import recompute

pytestmark = pytest.mark.browser

# Text that wraps over two or more lines at two characters a line or fewer (Chinese text may
# break between any two characters, so a squeezed column reads 姓/名): each text node's line
# boxes are counted from its client rectangles.
SQUEEZED = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const chars = node.textContent.replace(/\\s/g, '').length;
    if (chars < 2) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
    const lines = new Set(rects.map(r => Math.round(r.top))).size;
    if (lines >= 2 && chars / lines <= 2) found.push(node.textContent.trim().slice(0, 12));
  }
  return found;
}"""


@pytest.fixture
def bureau(district_admin):
    district_admin.is_staff = True  # the bureau's account also reaches the admin site
    district_admin.save()
    return district_admin


@pytest.fixture
def district_data(zichuan_plan, school_a, school_b):
    for school, area in ((school_a, 600), (school_b, 300)):
        pupils(school, 30)
        teachers(school, 3)
        FacilityRecord.objects.create(
            school=school,
            year=2024,
            teaching_area=Decimal(area),
            gym_area=Decimal(900),
            equipment_value=Decimal(100000),
            multimedia_classrooms=3,
            sanitary_toilets=school == school_a,
            classrooms=10,
            classrooms_lighting_ok=4,
        )
    recompute(years=[2024])


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_bureau_menu_bar_is_one_line(page, bureau, district_data, width):
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, "district_admin", PASSWORD)
    # every entry sits on the same row, on one line of its own text
    entries = page.locator(".site-nav .navbar-brand, .site-nav .nav-link")
    boxes = [entries.nth(i).bounding_box() for i in range(entries.count())]
    assert len(boxes) >= 6
    assert max(b["y"] for b in boxes) - min(b["y"] for b in boxes) < 4
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.site-nav .nav-link')).lineHeight)"
    )
    assert all(b["height"] < 2 * line for b in boxes)
    bar = page.locator(".site-nav").bounding_box()
    assert bar["height"] <= max(b["height"] for b in boxes) + 24
    # every page of the menu is still there, in its drop-down
    page.get_by_role("button", name="监测数据").click()
    page.get_by_role("link", name="优质均衡").click()
    # the click returns once the new page is on its way: the title is waited for, not read
    expect(page).to_have_title(re.compile("优质均衡"))
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/yzjh/", "/students/schools/SA/?year=2024"])
def test_pages_fit_a_phone_without_squeezed_text(page, bureau, district_data, path):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "district_admin", PASSWORD)
    response = page.goto(page.base + path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert page.evaluate(SQUEEZED) == []
    assert axe_violations(page) == []


def test_yzjh_cells_are_coloured_by_their_mark(page, bureau, district_data):
    browser_login(page, "district_admin", PASSWORD)
    page.goto(page.base + "/yzjh/")
    colour = "el => getComputedStyle(el).backgroundColor"
    cells = page.locator("[data-testid=yzjh-schools] td.yz-fail")
    assert cells.count() >= 1
    assert cells.first.evaluate(colour) == "rgb(248, 215, 218)"
    assert page.locator("[data-testid=yzjh-schools] td.yz-pass").first.evaluate(colour) == (
        "rgb(209, 231, 221)"
    )


def test_the_unread_count_shows_on_the_phone_menu_button(page, bureau):
    from ruraledu.channels.services import DISTRICT_WIDE
    from ruraledu.reporting.reminders import notify

    for key in ("a", "b", "c"):
        notify(
            recipients=[bureau],
            concerns=DISTRICT_WIDE,
            kind="submitted",
            title=key,
            dedupe_key=key,
        )
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "district_admin", PASSWORD)
    toggler = page.locator(".navbar-toggler")
    badge = page.get_by_test_id("nav-toggler-unread")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("3")
    expect(toggler).to_have_attribute("aria-label", "展开菜单（3 条未读通知）")
    # the badge sits on the button, inside the screen
    box, button = badge.bounding_box(), toggler.bounding_box()
    assert box["x"] + box["width"] <= 390
    assert button["x"] - 1 <= box["x"] + box["width"] / 2 <= button["x"] + button["width"] + 1
    # at desktop width the button is gone, and the count stays in the menu
    page.set_viewport_size({"width": 1366, "height": 900})
    expect(badge).to_be_hidden()
    expect(page.get_by_test_id("nav-notices")).to_contain_text("3")
