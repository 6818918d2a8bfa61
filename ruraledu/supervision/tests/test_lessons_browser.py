"""A researcher records a 名师课堂 on a phone (390 px) and the school's 名师课堂 coverage moves
on the next recompute, with no import."""

import pytest

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD, UserFactory
from ruraledu.activities.choices import ObservationSource
from ruraledu.activities.models import PublicLesson
from ruraledu.core.schoolyear import current_school_year, form_day, school_year_bounds
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute
from ruraledu.workforce.models import Post

from .. import services
from .conftest import staff

pytestmark = pytest.mark.browser
CODE = "town_seat_famous_teacher_lesson_rate"


def _value(unit, year):
    row = IndicatorValue.objects.get(code=CODE, unit=unit, year=year)
    return row.value, row.numerator, row.denominator


def test_a_researcher_records_a_famous_teacher_lesson_on_a_phone(page, district_admin, school_a):
    # given a town-seat school, a teacher posted there this year and its linked researcher
    year = current_school_year()
    # a day of that year (the form starts blank once the year has ended)
    day = form_day(year) or school_year_bounds(year)[1]
    school_a.is_town_seat = True
    school_a.save()
    teacher = staff("刘名师")
    Post.objects.create(person=teacher, school=school_a, year=year, position="teacher", degree="2")
    user = UserFactory(username="researcher", full_name="王教研")
    services.staff_account_link(actor=district_admin, user=user, person=staff("王教研"))
    services.school_link_assign(actor=district_admin, researcher=user, school=school_a, year=year)
    recompute(years=[year], codes=[CODE])
    before = _value(school_a.org_unit, year)

    # when the researcher records a 名师课堂 from the supervision page on a phone
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, user.username, PASSWORD)
    page.goto(f"{page.base}/supervision/")
    page.get_by_role("link", name="记录名师课堂、送教送研").click()
    page.select_option("#l-pick", str(school_a.pk))
    page.get_by_role("button", name="选择学校").click()
    started = form_day(year)
    assert page.input_value("#l-date") == (started.isoformat() if started else "")
    page.fill("#l-date", day.isoformat())
    page.select_option("#l-kind", "famous")
    page.select_option("#l-teacher", label="刘名师")
    page.fill("#l-title", "《观潮》")
    page.get_by_role("button", name="保存课堂记录").click()
    page.wait_for_load_state("networkidle")

    # then the page fits the phone, confirms and lists the record
    assert fits_phone(page)
    assert page.get_by_text("课堂记录已保存。").count() == 1
    item = page.locator("ul.list-group li").first
    assert "名师课堂" in item.inner_text() and "刘名师" in item.inner_text()
    lesson = PublicLesson.objects.get()
    assert (lesson.teacher, lesson.school, lesson.held_on, lesson.kind, lesson.topic) == (
        teacher,
        school_a,
        day,
        "famous",
        "《观潮》",
    )
    assert (lesson.source, lesson.recorded_by) == (ObservationSource.PLATFORM, user)
    # and the school's 名师课堂 coverage moves on recompute, with no import
    recompute(years=[year], codes=[CODE])
    assert before == (0.0, 0.0, 1.0)
    assert _value(school_a.org_unit, year) == (100.0, 1.0, 1.0)
