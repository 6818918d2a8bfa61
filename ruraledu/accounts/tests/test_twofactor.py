"""Two-factor login: who must use it (derived from the roles' actions), the gate on every page
and API call, enrolment with a QR code, the code after the password, reset by the bureau."""

import json

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.accounts.twofactor import needs_two_factor, two_factor_roles
from ruraledu.audit.models import AuditEvent

from .otp import enrolled, phone_code

COCKPIT = "/"
PROFILE = "/accounts/me/"


@pytest.fixture(autouse=True)
def _otp_required(settings):
    settings.OTP_REQUIRED = True


@pytest.fixture
def care_officer(school_a):
    user = UserFactory(username="care_officer")
    RoleAssignmentFactory(user=user, role=Role.SCHOOL_CARE_OFFICER, org_unit=school_a.org_unit)
    return user


def test_the_roles_that_see_or_work_childrens_data_and_the_bureau_need_two_factor():
    assert two_factor_roles() == {
        Role.DISTRICT_ADMIN,
        Role.TOWN_OFFICER,
        Role.SCHOOL_CLERK,
        Role.SCHOOL_CARE_OFFICER,
    }


def test_a_superuser_and_a_care_officer_need_it_a_leader_and_an_inspector_do_not(
    care_officer, district_leader, school_a
):
    superuser = UserFactory(username="root", is_superuser=True)
    inspector = UserFactory(username="inspector")
    RoleAssignmentFactory(user=inspector, role=Role.INSPECTOR, org_unit=school_a.org_unit)
    assert needs_two_factor(superuser) is True
    assert needs_two_factor(care_officer) is True
    assert needs_two_factor(district_leader) is False
    assert needs_two_factor(inspector) is False


def test_without_a_device_every_page_leads_to_enrolment(client, district_admin):
    # given an administrator signed in with the password only, no authenticator yet
    client.force_login(district_admin)
    # when they open pages of any app
    for path in (COCKPIT, "/care/cases/", "/accounts/me/", "/admin/"):
        response = client.get(path)
        # then each sends them to enrolment, remembering where they were going
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:two_factor_enrol") + "?next=")


def test_with_a_device_pages_lead_to_the_code_step_and_api_calls_are_refused(client, school_clerk):
    enrolled(school_clerk)
    client.force_login(school_clerk)
    response = client.get("/care/cases/")
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("accounts:two_factor_verify") + "?next=%2Fcare%2Fcases%2F"
    )
    api = client.get("/api/v1/units/")
    assert api.status_code == 403
    assert json.loads(api.content)["error"]["code"] == "two_factor_required"
    posted = client.post("/api/v1/units/", {})
    assert posted.status_code == 403
    page = client.get("/api/tokens/", headers={"Accept": "text/html"})
    assert page["Location"].startswith(reverse("accounts:two_factor_verify"))
    htmx = client.get("/care/cases/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204
    assert htmx["HX-Redirect"].startswith(reverse("accounts:two_factor_verify"))


def test_logout_and_static_files_stay_open(client, school_clerk):
    enrolled(school_clerk)
    client.force_login(school_clerk)
    assert client.get("/static/no-such-file.css").status_code == 404
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_a_role_that_does_not_need_it_passes(client, district_leader):
    client.force_login(district_leader)
    assert client.get(PROFILE).status_code == 200
    assert client.get("/api/v1/units/").status_code == 200


def test_with_otp_required_off_the_gate_lets_everyone_through(client, settings, district_admin):
    settings.OTP_REQUIRED = False
    client.force_login(district_admin)
    assert client.get(PROFILE).status_code == 200


def test_a_wrong_code_is_refused_the_right_one_opens_the_page_asked_for(client, school_clerk):
    # given a clerk with an authenticator, past the password
    device = enrolled(school_clerk)
    client.force_login(school_clerk)
    verify = reverse("accounts:two_factor_verify")
    # when a wrong code is entered
    wrong = client.post(verify, {"token": "000000" if phone_code(device) != "000000" else "111111"})
    # then it is refused in Chinese and pages stay closed
    assert wrong.status_code == 400
    assert "验证码不正确" in wrong.content.decode()
    assert client.get("/care/cases/").status_code == 302
    # when the phone's code is entered (after django-otp's one-second pause for a failure)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post(verify, {"token": phone_code(device), "next": "/care/cases/"})
    # then they go where they were going, and pages open for the rest of the session
    assert right.status_code == 302
    assert right["Location"] == "/care/cases/"
    assert client.get("/care/cases/").status_code == 200


def test_a_code_is_not_accepted_twice(client, school_clerk):
    device = enrolled(school_clerk)
    client.force_login(school_clerk)
    code = phone_code(device)
    assert client.post(reverse("accounts:two_factor_verify"), {"token": code}).status_code == 302
    client.logout()
    client.force_login(school_clerk)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    again = client.post(reverse("accounts:two_factor_verify"), {"token": code})
    assert again.status_code == 400


def test_an_off_site_next_address_is_not_followed(client, school_clerk):
    device = enrolled(school_clerk)
    client.force_login(school_clerk)
    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"token": phone_code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == COCKPIT


@pytest.mark.parametrize("next_address", ["x", "accounts:profile", "care/cases/"])
def test_a_next_address_that_is_no_path_leads_to_the_cockpit(client, school_clerk, next_address):
    device = enrolled(school_clerk)
    client.force_login(school_clerk)
    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"token": phone_code(device), "next": next_address},
    )
    assert response["Location"] == COCKPIT


def test_enrolment_shows_a_qr_code_and_binds_the_device_with_a_code(client, care_officer):
    # given a care officer without an authenticator
    client.force_login(care_officer)
    enrol = reverse("accounts:two_factor_enrol")
    # when they open the enrolment page
    page = client.get(enrol)
    # then it shows a QR code and the key, for one pending device
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=care_officer)
    assert device.confirmed is False
    assert page.context["secret"].replace(" ", "") in device.config_url
    # when a wrong code is entered, nothing is bound
    client.post(enrol, {"token": "12345"})
    assert TOTPDevice.objects.get(user=care_officer).confirmed is False
    # when the code the phone shows is entered
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = client.post(enrol, {"token": phone_code(device), "next": "/care/cases/"})
    # then the device is bound, audited, and the pages open
    assert response.status_code == 302
    assert response["Location"] == "/care/cases/"
    assert TOTPDevice.objects.get(user=care_officer).confirmed is True
    event = AuditEvent.objects.get(summary="绑定两步验证器")
    assert event.object_id == str(care_officer.pk)
    assert client.get("/care/cases/").status_code == 200
    # and the enrolment page now only leads to the code step
    assert client.get(enrol)["Location"] == reverse("accounts:two_factor_verify")


def test_a_device_loaded_before_it_was_confirmed_is_not_confirmed_again(care_officer):
    from django.core.exceptions import PermissionDenied

    from ruraledu.accounts.services import two_factor_confirm

    # given the enrolment posted twice with the same code (a double click)
    device = TOTPDevice.objects.create(user=care_officer, name="手机验证器", confirmed=False)
    seen_first, seen_second = (TOTPDevice.objects.get(pk=device.pk) for _ in range(2))
    code = phone_code(device)
    assert two_factor_confirm(user=care_officer, device=seen_first, token=code) is True
    # when the second post confirms from what it loaded earlier, it is refused
    with pytest.raises(PermissionDenied):
        two_factor_confirm(user=care_officer, device=seen_second, token=code)
    # and the binding stands, audited once
    assert TOTPDevice.objects.get(user=care_officer).confirmed is True
    assert AuditEvent.objects.filter(summary="绑定两步验证器").count() == 1


def test_the_bureau_resets_a_lost_phone_audited(client, district_admin, care_officer):
    # given a care officer with a bound authenticator, and an administrator past both steps
    enrolled(care_officer)
    admin_device = enrolled(district_admin)
    client.force_login(district_admin)
    client.post(reverse("accounts:two_factor_verify"), {"token": phone_code(admin_device)})
    # when the administrator resets the care officer's two-factor
    response = client.post(reverse("accounts:two_factor_reset"), {"username": "care_officer"})
    # then the device is gone, the reset audited, and the officer enrols again at next login
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=care_officer).exists()
    event = AuditEvent.objects.get(summary="重置两步验证")
    assert event.actor == district_admin
    assert event.object_id == str(care_officer.pk)
    assert event.after == {"两步验证": "已重置，下次登录重新绑定"}


def test_only_the_bureau_may_reset(client, school_clerk, care_officer, settings):
    settings.OTP_REQUIRED = False
    enrolled(care_officer)
    client.force_login(school_clerk)
    assert client.get(reverse("accounts:two_factor_reset")).status_code == 404
    response = client.post(reverse("accounts:two_factor_reset"), {"username": "care_officer"})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=care_officer, confirmed=True).count() == 1
    assert not AuditEvent.objects.filter(summary="重置两步验证").exists()


def test_the_admin_site_does_not_show_authenticator_keys(admin_client):
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)


def test_the_printed_demo_logins_say_whether_a_phone_is_needed(settings):
    from ruraledu.accounts.twofactor import two_factor_note

    assert "区教体局管理员" in two_factor_note()
    assert "学校控辍保学/资助专干" in two_factor_note()
    assert "区领导" not in two_factor_note()
    settings.OTP_REQUIRED = False
    assert two_factor_note() == "（两步验证未开启：OTP_REQUIRED=0，以上账号仅凭密码即可登录。）"
