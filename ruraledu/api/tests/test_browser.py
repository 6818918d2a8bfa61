"""In a real browser: the docs page draws Swagger UI from local assets (no inline script, so a
strict content security policy keeps it working), and the token page works at 390 px."""

import pytest

from conftest import browser_login
from ruraledu.api.models import ApiToken

pytestmark = pytest.mark.browser


def _user(district_admin):
    district_admin.set_password("Pass@2026x")
    district_admin.save()
    return district_admin


def test_docs_page_draws_the_operations_from_local_assets(page, district_admin):
    _user(district_admin)
    outside = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(page.base) and not r.url.startswith("data:")
            else None
        ),
    )
    browser_login(page, "district_admin", "Pass@2026x")
    page.goto(f"{page.base}/api/docs/")
    page.wait_for_selector("text=/api/v1/dhis2/dataValueSets/", timeout=20000)
    assert page.locator(".opblock").count() >= 20
    assert outside == []
    inline = page.evaluate(
        "Array.from(document.scripts).filter(s => !s.src && s.textContent.trim()).length"
    )
    assert inline == 0


def test_token_page_at_390_px_shows_the_secret_once(page, district_admin):
    _user(district_admin)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "district_admin", "Pass@2026x")
    page.goto(f"{page.base}/accounts/me/")
    page.click("text=接口令牌")
    page.fill("#id_name", "市局数据交换")
    page.fill("#id_days", "30")
    page.select_option("#id_can_write", "1")
    page.click("text=新建令牌")
    secret = page.inner_text("#new-token").strip()
    assert secret.startswith("rtk_")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{page.base}/api/tokens/")
    assert secret not in page.content()
    assert ApiToken.objects.get(name="市局数据交换").can_write
    page.click('button:has-text("吊销")')
    page.wait_for_selector("text=已吊销")
    assert ApiToken.objects.get(name="市局数据交换").revoked_at is not None
