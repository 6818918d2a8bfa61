"""Error pages speak Chinese inside the site's frame: a missing or out-of-scope record, a refused
action, an expired form and a server error, instead of Django's bare English pages."""

from django.test import RequestFactory
from django.views.csrf import csrf_failure
from django.views.defaults import server_error


def test_a_missing_page_is_a_chinese_404_with_the_menu(client, school_clerk):
    # given a logged-in clerk
    client.force_login(school_clerk)
    # when they open an address that does not exist
    response = client.get("/no-such-page/")
    # then the page says so in Chinese, inside the site's frame with its menu
    assert response.status_code == 404
    text = response.content.decode()
    assert "<title>页面不存在 · 乡村教育振兴监测督导平台</title>" in text
    assert "不在您账号的查看范围内" in text
    assert 'data-testid="nav-main"' in text
    assert "Not Found" not in text


def test_a_server_error_page_renders_without_a_request_context():
    # when Django renders its 500 page (no context processors, no user)
    response = server_error(RequestFactory().get("/"))
    # then it is the Chinese page, without the menu
    text = response.content.decode()
    assert response.status_code == 500
    assert '<h1 class="h3">系统出错</h1>' in text
    assert "nav-main" not in text


def test_an_expired_form_explains_itself():
    # when a form fails the CSRF check
    response = csrf_failure(RequestFactory().post("/"), reason="CSRF token missing.")
    # then the user reads what to do, in Chinese
    text = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期，请重新提交" in text
    assert "Forbidden" not in text


def test_the_site_icon_is_served(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
    assert finders.find("img/favicon.svg")
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "img/favicon.svg" in page
