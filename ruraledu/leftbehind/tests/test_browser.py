"""On a phone (390 px wide), the school's care officer finds a child on the 本学期未联系 list,
assigns a mentor from the school's staff and logs a home visit; the child leaves the list and
the page never scrolls sideways."""

import pytest
from django.utils import timezone

from conftest import browser_login, fits_phone
from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from ruraledu.core.models import SchoolYear
from ruraledu.core.schoolyear import school_year_of
from ruraledu.students.models import Enrolment

from ..models import CareContact
from .conftest import make_child, make_teacher

pytestmark = pytest.mark.browser
YEAR = school_year_of(timezone.localdate())


def test_the_care_officer_assigns_a_mentor_and_logs_a_visit_on_a_phone(page, school_a):
    # given the demo's school care officer, a left-behind child never contacted, two teachers
    care = UserFactory(username="care", full_name="控辍保学专干")
    RoleAssignmentFactory(user=care, role=Role.SCHOOL_CARE_OFFICER, org_unit=school_a.org_unit)
    SchoolYear.objects.update_or_create(year=YEAR, defaults={"is_current": True})
    child = make_child(school_a, "王小留", YEAR, left_behind=True)
    make_child(school_a, "王小孤", YEAR, orphan=True)
    teacher = make_teacher(school_a, "李老师", YEAR)
    make_teacher(school_a, "张老师", YEAR)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "care", PASSWORD)

    # when the officer opens the no-contact list
    page.goto(f"{page.base}/leftbehind/children/?show=nocontact")
    assert fits_phone(page)
    listed = page.get_by_test_id("child-list")
    assert listed.get_by_role("link", name="王小留").count() == 1
    listed.get_by_role("link", name="王小留").click()
    assert fits_phone(page)

    # and assigns the mentor
    mentor = page.get_by_test_id("mentor-form")
    mentor.locator("select[name=mentor]").select_option(label="李老师")
    mentor.get_by_role("button", name="保存成长导师").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("child-mentor").inner_text() == "李老师"

    # and logs a home visit
    contact = page.get_by_test_id("contact-form")
    contact.locator("select[name=kind]").select_option("home_visit")
    contact.locator("[name=who]").fill("李老师")
    contact.locator("[name=content]").fill("到家中看望，奶奶照料，作业按时完成。")
    contact.locator("[name=follow_up]").fill("下月电话回访")
    assert fits_phone(page)
    contact.get_by_role("button", name="保存联系记录").click()
    page.wait_for_load_state("networkidle")
    assert "家访" in page.get_by_test_id("contacts").inner_text()

    # then the child has left the no-contact list, the other child is still on it
    page.goto(f"{page.base}/leftbehind/children/?show=nocontact")
    assert fits_phone(page)
    names = page.get_by_test_id("child-list").inner_text()
    assert "王小留" not in names and "王小孤" in names
    assert Enrolment.objects.get(pk=child.pk).mentor_id == teacher.pk
    assert CareContact.objects.get().person_id == child.person_id
