"""On a phone (390 px wide), none of the school clerk's and the school care officer's menu
pages, nor the field pages they open from them (forms unfolded), scrolls sideways: wide tables
scroll inside their own box, never the page. No field there has text under 16 px (a phone
browser zooms the page into such a field when it is tapped), and no button is too low to hit
with a finger."""

import pytest

from conftest import browser_login
from ruraledu.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# field pages: (a list page, the link on it to follow), the first such link is opened
FIELD_PAGES = {
    "clerk": [
        ("/org/", "main a[href^='/students/schools/']"),
        ("/supervision/lessons/", None),
        ("/evaluation/diagnosis/", "main a[href^='/evaluation/diagnosis/']"),
    ],
    "care": [
        ("/care/cases/", "main a.fw-semibold[href^='/care/cases/']"),
        ("/leftbehind/children/", "[data-testid=child-list] a"),
        ("/inclusion/home/", "[data-testid=home-list] a"),
        ("/care/cases/new/", None),
    ],
}
WIDER_THAN_SCREEN = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const w = window.innerWidth;
  if (document.documentElement.scrollWidth <= w + 1) return null;
  const out = [...document.querySelectorAll('main *')]
    .filter(el => el.getBoundingClientRect().right > w + 1)
    .map(el => el.tagName + '.' + el.className).slice(0, 3);
  return document.documentElement.scrollWidth + ' ' + out.join(' ');
}"""


# fields whose text is under 16 px: "tag#id size"
SMALL_TEXT = """() => [...document.querySelectorAll(
    'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])'
    + ':not([type=submit]):not([type=button]), main select, main textarea')]
  .filter(el => el.getClientRects().length && parseFloat(getComputedStyle(el).fontSize) < 16)
  .map(el => el.tagName + '#' + el.id + ' ' + getComputedStyle(el).fontSize)"""

# buttons lower than 30 px (Bootstrap's small buttons are 31 px): "text height"
SMALL_BUTTON = """() => [...document.querySelectorAll('main button, main .btn')]
  .filter(el => el.getClientRects().length && el.getBoundingClientRect().height < 30)
  .map(el => el.innerText.trim() + ' ' + Math.round(el.getBoundingClientRect().height))"""

# notification times whose text runs over two lines (the box itself stretches with the title)
BROKEN_TIMES = """() => [...document.querySelectorAll('[data-testid=notification-time]')]
  .filter(el => {
    const text = document.createRange();
    text.selectNodeContents(el);
    return text.getClientRects().length > 1;
  })
  .map(el => el.innerText)"""


def _open(page, path: str) -> None:
    response = page.goto(f"{page.base}{path}")
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("username", ["clerk", "care"])
def test_no_page_of_the_school_roles_scrolls_sideways_on_a_phone(page, transactional_db, username):
    # given the demo district (small) with its figures computed, on a phone
    from ruraledu.demo.services import demo_setup
    from ruraledu.indicators.services import recompute

    demo_setup(scale="tiny", years=[2024, 2025])
    recompute()
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, username, DEMO_PASSWORD)
    menu = page.evaluate(
        """() => [...document.querySelectorAll('#nav a.nav-link, #nav a.dropdown-item')]
        .map(a => a.getAttribute('href')).filter(h => h && h.startsWith('/'))"""
    )
    assert len(menu) >= 10

    # when the user opens every page of their menu and the field pages behind it
    wide, small, low = {}, {}, {}
    for path in menu:
        _open(page, path)
        if width := page.evaluate(WIDER_THAN_SCREEN):
            wide[path] = width
        if fields := page.evaluate(SMALL_TEXT):
            small[path] = fields
        if buttons := page.evaluate(SMALL_BUTTON):
            low[path] = buttons[:3]
    # a notification's time is never broken over two lines (not "2026-12-" / "07 04:27")
    _open(page, "/reporting/notifications/")
    broken_times = page.evaluate(BROKEN_TIMES)
    for path, link in FIELD_PAGES[username]:
        _open(page, path)
        if link:
            assert page.locator(link).count(), f"{path} 上没有 {link}"
            path = page.locator(link).first.get_attribute("href")
            _open(page, path)
        if width := page.evaluate(WIDER_THAN_SCREEN):
            wide[path] = width
        if fields := page.evaluate(SMALL_TEXT):
            small[path] = fields
        if buttons := page.evaluate(SMALL_BUTTON):
            low[path] = buttons[:3]

    # then none is wider than the screen, no field's text is small enough to zoom the page and
    # no button is too low for a finger
    assert wide == {}
    assert small == {}
    assert low == {}
    assert broken_times == []
