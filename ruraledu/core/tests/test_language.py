"""Pages speak Simplified Chinese whatever language the browser asks for."""

from django.test import Client

from ruraledu.accounts.models import User

ENGLISH = "en-US,en;q=0.9"


def test_an_english_browser_still_gets_chinese_pages(db):
    user = User.objects.create_user("teacher", password="Demo@2026-long")
    client = Client(HTTP_ACCEPT_LANGUAGE=ENGLISH)
    client.force_login(user)
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Your password" not in body  # Django's own password rules
    assert "你的密码" in body
    assert "Content-Language" not in page.headers or page["Content-Language"] == "zh-hans"
