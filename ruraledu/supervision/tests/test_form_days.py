"""The date a supervision form starts with is core.schoolyear.form_day: today while the form's
school year runs, else blank, so that something done today is never filed silently under the
year's last day. Today is fixed here, so the pages are the same whenever the tests run."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.workforce.models import Post

from ..models import InspectorAssignment
from .conftest import YEAR, staff

RUNNING = dt.date(2026, 3, 10)  # in the school year 2025 (2025-09-01 … 2026-08-31)
ENDED = dt.date(2026, 12, 6)  # after it


@pytest.fixture
def today_is(monkeypatch):
    """Make timezone.localdate() (the platform's "today") return the given day."""
    real = timezone.localdate

    def fix(day: dt.date) -> None:
        monkeypatch.setattr(
            timezone,
            "localdate",
            lambda value=None, timezone=None: day if value is None else real(value, timezone),
        )

    return fix


def _field(page: str, name: str) -> str:
    return re.search(rf'<input [^>]*name="{name}"[^>]*>', page).group(0)


def _assignments(client):
    return client.get(reverse("supervision:assignment_list") + f"?year={YEAR}").content.decode()


@pytest.mark.parametrize(("today", "value", "last"), [(RUNNING, RUNNING, RUNNING), (ENDED, "", "")])
def test_the_assignment_forms_start_at_today_only_while_the_year_runs(
    client, district_admin, inspector, today_is, today, value, last
):
    # given the 2025 page, while the year runs or after it ended
    today_is(today)
    client.force_login(district_admin)
    page = _assignments(client)
    # then the start of a new assignment and the end of the current one offer today while the
    # year runs and nothing after it: the year's last day is to be chosen, not offered
    day = value.isoformat() if value else ""
    latest = (last or dt.date(2026, 8, 31)).isoformat()
    start = _field(page, "started_on")
    assert f'value="{day}" min="2025-09-01" max="{latest}"' in start
    end = _field(page, "ended_on")
    assert f'value="{day}" min="2025-09-01" max="{latest}"' in end


def test_an_assignment_without_a_start_is_refused_not_dated_the_years_last_day(
    client, district_admin, school_a, today_is
):
    # given the 2025 page after the year ended
    today_is(ENDED)
    UserFactory(username="zhou")
    client.force_login(district_admin)
    # when an assignment comes without a start date
    response = client.post(
        reverse("supervision:assignment_list") + f"?year={YEAR}",
        {"step": "assign", "school": school_a.pk, "inspector": "zhou", "started_on": ""},
    )
    # then it is refused on its form, and nothing is stored under 2026-08-31
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="step-error">请填写有效的开始日期。' in body
    assert 'value="zhou"' in body
    assert not InspectorAssignment.objects.exists()


@pytest.mark.parametrize(("today", "value"), [(RUNNING, RUNNING.isoformat()), (ENDED, "")])
def test_the_lesson_form_starts_at_today_only_while_the_current_year_runs(
    client, researcher, school_a, today_is, today, value
):
    # given the platform's current year is 2025 (nobody has started 2026 yet on ENDED) and a
    # teacher on the school's roster of that year
    Post.objects.create(
        person=staff("刘名师"), school=school_a, year=YEAR, position="teacher", degree="2"
    )
    today_is(today)
    client.force_login(researcher)
    page = client.get(reverse("supervision:lesson_record") + f"?school={school_a.pk}")
    # then the lesson's date is today while that year runs, else blank, not 2026-08-31
    assert f'value="{value}"' in _field(page.content.decode(), "held_on")


def _lessons(client, school):
    return client.get(reverse("supervision:lesson_record") + f"?school={school.pk}")


@pytest.mark.parametrize(
    ("today", "latest", "noted"), [(RUNNING, RUNNING, False), (ENDED, dt.date(2026, 8, 31), True)]
)
def test_the_lesson_date_goes_up_to_today_within_the_year_of_the_teachers_listed(
    client, researcher, school_a, today_is, today, latest, noted
):
    # given the platform's current year is 2025 and a teacher on the school's roster of it
    Post.objects.create(
        person=staff("刘名师"), school=school_a, year=YEAR, position="teacher", degree="2"
    )
    today_is(today)
    client.force_login(researcher)
    page = _lessons(client, school_a).content.decode()
    # then the date goes no further than today (lesson_record refuses a day ahead), nor past
    # the last day of the year whose roster the teachers come from, which the page names
    assert f'max="{latest.isoformat()}"' in _field(page, "held_on")
    assert "授课教师（2025—2026学年名册）" in page
    # and once 2026 has begun without being started, the page says why today is not offered
    said = "2026—2027学年尚未在平台开始：这里按2025—2026学年的教职工名册登记，日期至 2026-08-31。"
    assert (said in page) is noted


def test_a_lesson_in_a_year_not_started_is_refused_naming_the_year_whose_roster_was_checked(
    client, researcher, school_a, today_is
):
    from ruraledu.activities.models import PublicLesson

    # given 2026 has begun but the platform's current year is still 2025, whose roster the
    # page lists with this teacher
    teacher = staff("刘名师")
    Post.objects.create(person=teacher, school=school_a, year=YEAR, position="teacher", degree="2")
    today_is(ENDED)
    client.force_login(researcher)
    assert (
        f'<option value="{teacher.pk}">刘名师</option>'
        in _lessons(client, school_a).content.decode()
    )
    # when a lesson given today is posted for that teacher
    lesson = {"school": school_a.pk, "teacher": teacher.pk, "kind": "famous", "title": "观潮"}
    response = client.post(
        reverse("supervision:lesson_record"), {**lesson, "held_on": ENDED.isoformat()}
    )
    # then it is refused saying which year's roster the date was checked against and why
    # that year's lessons cannot be recorded yet, and nothing is stored
    body = response.content.decode()
    assert response.status_code == 400
    assert (
        "上课日期 2026-12-06 属于2026—2027学年，该校2026—2027学年的教职工名册中没有这位授课教师"
        in body
    )
    assert "2026—2027学年尚未在平台开始（当前学年为2025—2026学年）" in body
    assert not PublicLesson.objects.exists()
    # and a lesson on a day of 2025 for the same teacher is recorded under 2025
    response = client.post(
        reverse("supervision:lesson_record"), {**lesson, "held_on": "2026-08-20"}
    )
    assert response.status_code == 302
    assert PublicLesson.objects.get().year == YEAR
