"""The 等保三级 password rule (length and three kinds of characters, in Chinese) and the
password change required at the first login of accounts made by setup commands."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from ruraledu.accounts.models import User
from ruraledu.accounts.passwords import ComplexityValidator
from ruraledu.accounts.tests.factories import PASSWORD, UserFactory
from ruraledu.audit.models import AuditEvent


@pytest.mark.parametrize(
    ("password", "messages"),
    [
        ("Ab1!", ["密码太短：至少需要 8 个字符，现为 4 个。"]),
        (
            "abcdefgh12",
            [
                "密码须包含大写字母、小写字母、数字、符号中的至少 3 类，现只有 2 类（小写字母、数字）。"
            ],
        ),
        (
            "abc",
            [
                "密码太短：至少需要 8 个字符，现为 3 个。",
                "密码须包含大写字母、小写字母、数字、符号中的至少 3 类，现只有 1 类（小写字母）。",
            ],
        ),
    ],
)
def test_it_refuses_short_or_plain_passwords_in_chinese(password, messages):
    with pytest.raises(ValidationError) as refused:
        ComplexityValidator().validate(password)
    assert refused.value.messages == messages


@pytest.mark.parametrize(
    "password", ["Abcdefg1", "abcdef1!", "ABCDEF1!", "Abcdefg!", "山河Ab12无恙"]
)
def test_it_accepts_eight_characters_of_three_kinds(password):
    assert ComplexityValidator().validate(password) is None


def test_the_minimum_cannot_be_set_below_eight():
    assert ComplexityValidator(min_length=6).min_length == 8


def test_the_project_settings_use_it(db):
    with pytest.raises(ValidationError) as refused:
        validate_password("abcdefgh")
    assert any("至少 3 类" in m for m in refused.value.messages)
    assert validate_password("Lu-Xun-1881") is None


@pytest.fixture
def newcomer(db):
    user = UserFactory(username="newcomer")
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    user.refresh_from_db()
    return user


def test_an_account_that_must_change_its_password_sees_only_the_password_page(client, newcomer):
    client.force_login(newcomer)
    for path in ("/", "/accounts/me/", "/care/cases/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:password_change") + "?next=")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    api = client.get("/api/v1/units/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "password_change_required"


def test_a_weak_new_password_is_refused_and_the_requirement_stays(client, newcomer):
    client.force_login(newcomer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert response.status_code == 200
    assert "至少 3 类" in response.content.decode()
    assert User.objects.get(pk=newcomer.pk).must_change_password is True


def test_after_changing_it_the_pages_open_and_the_change_is_audited(client, newcomer):
    client.force_login(newcomer)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Qing-Shan-88",
            "new_password2": "Qing-Shan-88",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=newcomer.pk)
    assert user.must_change_password is False
    assert user.check_password("Qing-Shan-88")
    assert client.get("/accounts/me/").status_code == 200
    event = AuditEvent.objects.get(summary="本人修改密码")
    assert event.object_id == str(newcomer.pk)
    assert "Qing-Shan-88" not in str(event.after)


def test_set_up_accounts_must_change_their_password_in_production(settings, district):
    from ruraledu.accounts.choices import Role
    from ruraledu.demo.services import _account

    # given production's setting
    settings.PASSWORD_CHANGE_FIRST_LOGIN = True
    # when a setup command creates an account
    made = _account("setup_admin", "管理员", Role.DISTRICT_ADMIN, units=[district])
    # then its printed password must be changed at the first login
    assert User.objects.get(pk=made.pk).must_change_password is True
    # and the demo's setting leaves demo accounts usable as printed
    settings.PASSWORD_CHANGE_FIRST_LOGIN = False
    demo = _account("demo_admin", "管理员", Role.DISTRICT_ADMIN, units=[district])
    assert User.objects.get(pk=demo.pk).must_change_password is False
