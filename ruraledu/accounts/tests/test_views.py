import pytest
from django.urls import reverse

from ruraledu.accounts.tests.factories import PASSWORD


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_with_right_password_goes_to_the_plan(client, school_clerk):
    response = login(client, "school_clerk", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboards:cockpit")


def test_login_with_wrong_password_says_so_in_chinese(client, school_clerk):
    response = login(client, "school_clerk", "wrong")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_account_is_locked_after_five_failures(client, school_clerk, settings):
    # given five failed attempts
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "school_clerk", "wrong")
    # when the right password is tried
    response = login(client, "school_clerk", PASSWORD)
    # then the account stays locked
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_requires_post_and_ends_the_session(client, school_clerk):
    client.force_login(school_clerk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, school_clerk):
    client.force_login(school_clerk)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-Secret-77",
            "new_password2": "Another-Secret-77",
        },
    )
    assert response.status_code == 302
    school_clerk.refresh_from_db()
    assert school_clerk.check_password("Another-Secret-77")


@pytest.mark.parametrize(
    "url_name", ["plans:plan_detail", "orgunits:unit_home", "accounts:profile"]
)
def test_pages_need_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_profile_lists_roles(client, town_officer):
    client.force_login(town_officer)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "镇街（学区）教育办 · 甲镇" in body
