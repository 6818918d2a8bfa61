"""A 听课 recorded on a researcher's phone moves project 33's indicator (试点镇包校教研员听课达标率)
on the next recompute, with no import: the phone's records and imported ones are counted
together."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD, UserFactory
from ruraledu.activities.choices import ObservationSource, PilotLevel
from ruraledu.activities.models import LessonObservation, TownPilot
from ruraledu.core.schoolyear import semester_of
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute
from ruraledu.workforce.choices import Degree
from ruraledu.workforce.models import Post

from .. import services
from .conftest import staff

pytestmark = pytest.mark.browser
CODE = "pilot_town_researcher_observation_rate"


def _semester_days(today: dt.date) -> list[dt.date]:
    """Days of today's semester other than today, from its first day."""
    start = today
    while semester_of(start - dt.timedelta(days=1)) == semester_of(today):
        start -= dt.timedelta(days=1)
    days = (start + dt.timedelta(days=n) for n in range(200))
    return [d for d in days if semester_of(d) == semester_of(today) and d != today]


def _value(unit) -> tuple:
    row = IndicatorValue.objects.get(
        code=CODE, unit=unit, year=semester_of(timezone.localdate())[0]
    )
    return row.value, row.numerator, row.denominator


def test_a_researchers_phone_observation_moves_the_project_33_indicator(
    page, district_admin, town_a, school_a
):
    # given a city pilot town, a 教研员 (researcher post this year) linked to its school,
    # with 7 听课 there this semester that came in by import
    today = timezone.localdate()
    year, semester = semester_of(today)
    TownPilot.objects.create(town=town_a, level=PilotLevel.CITY, started_year=year - 1)
    person = staff("王教研")
    Post.objects.create(
        person=person, school=school_a, year=year, is_researcher=True, degree=Degree.BACHELOR
    )
    user = UserFactory(username="researcher", full_name="王教研")
    services.staff_account_link(actor=district_admin, user=user, person=person)
    services.school_link_assign(actor=district_admin, researcher=user, school=school_a, year=year)
    imported = _semester_days(today)[:7]
    if semester == 2:  # after February the first semester must have had its 8 as well
        imported += [dt.date(year, 9, day) for day in range(1, 9)]
    for day in imported:
        LessonObservation.objects.create(observer=person, school=school_a, held_on=day)
    recompute(years=[year], codes=[CODE])
    before = _value(school_a.org_unit), _value(town_a)

    # when the researcher records the 8th on the phone form
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, user.username, PASSWORD)
    page.goto(f"{page.base}/supervision/")
    page.select_option("#o-school", str(school_a.pk))
    page.fill("#o-date", today.isoformat())
    page.fill("#o-class", "四年级二班")
    page.fill("#o-subject", "语文")
    page.fill("#o-teacher", "刘老师")
    page.fill("#o-title", "《观潮》")
    page.select_option("#o-rating", "good")
    page.get_by_role("button", name="保存听课记录").click()
    page.wait_for_load_state("networkidle")
    assert fits_phone(page)
    assert page.get_by_text("8 / 8").count() == 1  # the progress bar is full
    recompute(years=[year], codes=[CODE])

    # then the link now meets the rule, at the school and its town, with no import run
    phone = LessonObservation.objects.get(source=ObservationSource.PLATFORM)
    assert (phone.held_on, phone.recorded_by, phone.teacher_name) == (today, user, "刘老师")
    assert before == ((0.0, 0.0, 1.0), (0.0, 0.0, 1.0))
    assert (_value(school_a.org_unit), _value(town_a)) == ((100.0, 1.0, 1.0), (100.0, 1.0, 1.0))


@pytest.mark.django_db
@pytest.mark.parametrize(("required", "expected"), [(3, 100.0), (4, 0.0)])
def test_the_indicator_counts_against_the_bureaus_observation_setting(
    settings, district_admin, town_a, school_a, required, expected
):
    # 3 听课 in each semester so far: enough when the bureau asks for 3, not for 4
    settings.SUPERVISION_OBSERVATIONS_PER_SEMESTER = required
    today = timezone.localdate()
    year, semester = semester_of(today)
    TownPilot.objects.create(town=town_a, level=PilotLevel.CITY, started_year=year - 1)
    person = staff("李教研")
    Post.objects.create(
        person=person, school=school_a, year=year, is_researcher=True, degree=Degree.BACHELOR
    )
    user = UserFactory(username="li", full_name="李教研")
    services.staff_account_link(actor=district_admin, user=user, person=person)
    services.school_link_assign(actor=district_admin, researcher=user, school=school_a, year=year)
    days = [dt.date(year, 9, day) for day in (1, 2, 3)]
    if semester == 2:
        days += [dt.date(year + 1, 3, day) for day in (2, 3, 4)]
    for day in days:
        LessonObservation.objects.create(observer=person, school=school_a, held_on=day)
    recompute(years=[year], codes=[CODE])
    assert _value(school_a.org_unit)[0] == expected
