"""Account changes in the Django admin are audited, and never copy the password hash."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ruraledu.accounts.models import RoleAssignment, User
from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.audit.models import AuditEvent


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def trail(model, pk):
    kind = ContentType.objects.get_for_model(model)
    return AuditEvent.objects.filter(content_type=kind, object_id=str(pk)).order_by("pk")


def test_deactivating_an_account_and_removing_its_role_are_audited(
    admin_client, town_officer, town_a
):
    # given
    role = town_officer.role_assignments.get()
    data = {
        "username": "town_officer",
        "full_name": town_officer.full_name,
        "is_active": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "1",
        "role_assignments-0-id": role.pk,
        "role_assignments-0-user": town_officer.pk,
        "role_assignments-0-role": role.role,
        "role_assignments-0-org_unit": town_a.pk,
        "role_assignments-0-DELETE": "on",
    }
    # when
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[town_officer.pk]), data
    )
    # then
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=role.pk).exists()
    event = trail(User, town_officer.pk).get()
    assert event.before["is_active"] is True and event.after["is_active"] is False
    assert "password" not in event.before and "password" not in event.after
    removed = trail(RoleAssignment, role.pk).get()
    assert (removed.action, removed.before["role"]) == ("delete", "town_officer")


def test_a_password_reset_in_the_admin_is_audited_without_the_hash(admin_client, school_clerk):
    # when
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[school_clerk.pk]),
        {"password1": "Brand-New-Secret-91", "password2": "Brand-New-Secret-91"},
    )
    # then
    assert response.status_code == 302
    school_clerk.refresh_from_db()
    assert school_clerk.check_password("Brand-New-Secret-91")
    event = trail(User, school_clerk.pk).get()
    assert (event.summary, event.after) == ("在管理后台重设密码", {"password": "（已重设）"})
    assert school_clerk.password not in str(event.before) + str(event.after)


def test_in_production_a_password_set_in_the_admin_must_be_changed_at_login(
    admin_client, school_clerk, settings
):
    # given production's first-login rule
    settings.PASSWORD_CHANGE_FIRST_LOGIN = True
    # when an administrator sets the clerk's password
    admin_client.post(
        reverse("admin:auth_user_password_change", args=[school_clerk.pk]),
        {"password1": "Brand-New-Secret-91", "password2": "Brand-New-Secret-91"},
    )
    # then the clerk must replace it at the next login, and the trail says so
    assert User.objects.get(pk=school_clerk.pk).must_change_password is True
    event = trail(User, school_clerk.pk).get()
    assert event.after == {"password": "（已重设）", "首次登录须修改密码": True}
