"""In a real browser: a care officer logs in with the password and the code their phone shows,
and reaches the care page; with the password alone, or a wrong code, they do not."""

import pytest

from conftest import browser_login, fits_phone
from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory

from .otp import enrolled, phone_code

pytestmark = pytest.mark.browser


@pytest.fixture
def care_officer(settings, school_a):
    settings.OTP_REQUIRED = True
    user = UserFactory(username="care_officer", full_name="赵专干")
    RoleAssignmentFactory(user=user, role=Role.SCHOOL_CARE_OFFICER, org_unit=school_a.org_unit)
    return user


def test_a_care_officer_reaches_the_care_page_with_password_and_phone_code(page, care_officer):
    # given a care officer whose phone is bound, on a phone-sized screen
    device = enrolled(care_officer)
    page.set_viewport_size({"width": 390, "height": 844})
    # when they log in with the password
    browser_login(page, care_officer.username, PASSWORD)
    # then they are asked for the code, not shown the platform
    assert page.url.startswith(f"{page.base}/accounts/two-factor/")
    assert fits_phone(page)
    # when they enter the code the phone shows now
    page.fill("#id_token", phone_code(device))
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state("networkidle")
    # then the care page opens
    page.goto(f"{page.base}/care/cases/")
    assert page.url == f"{page.base}/care/cases/"
    assert page.get_by_role("heading", level=1).count() >= 1
    assert "两步验证" not in page.title()


def test_without_the_code_the_care_page_stays_closed(page, care_officer):
    # given a care officer whose phone is bound, logged in with the password only
    device = enrolled(care_officer)
    browser_login(page, care_officer.username, PASSWORD)
    # when they go straight to the care page
    page.goto(f"{page.base}/care/cases/")
    # then they land on the code step instead
    assert page.url.startswith(f"{page.base}/accounts/two-factor/?next=")
    assert "两步验证" in page.title()
    # and a wrong code is refused in Chinese, the care page still closed
    wrong = "000000" if phone_code(device) != "000000" else "111111"
    page.fill("#id_token", wrong)
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state("networkidle")
    assert "验证码不正确" in page.get_by_test_id("otp-error").inner_text()
    page.goto(f"{page.base}/care/cases/")
    assert page.url.startswith(f"{page.base}/accounts/two-factor/")


def test_a_first_login_binds_the_phone_by_scanning_the_qr_code(page, care_officer):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # given a care officer without a bound phone, on a phone-sized screen
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, care_officer.username, PASSWORD)
    # then enrolment shows a QR code and the key
    assert page.url.startswith(f"{page.base}/accounts/two-factor/enrol/")
    assert page.get_by_test_id("otp-qr").locator("svg").count() == 1
    assert fits_phone(page)
    # when they type the code from the authenticator that read it
    device = TOTPDevice.objects.get(user=care_officer)
    page.fill("#id_token", phone_code(device))
    page.get_by_role("button", name="确认绑定").click()
    page.wait_for_load_state("networkidle")
    # then the phone is bound and the platform opens
    assert TOTPDevice.objects.get(user=care_officer).confirmed is True
    page.goto(f"{page.base}/care/cases/")
    assert page.url == f"{page.base}/care/cases/"
