import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from ruraledu.activities.choices import ObservationSource
from ruraledu.activities.models import LessonObservation
from ruraledu.audit.models import AuditEvent

from .. import services
from ..selectors import observation_progress
from .conftest import YEAR


def test_a_researcher_records_into_the_import_table_with_its_source(researcher, school_a):
    # when
    services.observation_record(
        actor=researcher,
        school=school_a,
        held_on=dt.date(2025, 10, 9),
        class_name="三年级一班",
        subject="数学",
        teacher_name="刘老师",
        title="两位数乘法",
        rating="good",
        comments="节奏好",
    )
    # then
    row = LessonObservation.objects.get()
    assert (row.observer, row.school, row.year, row.semester) == (
        researcher.staff_account.person,
        school_a,
        YEAR,
        1,
    )
    assert row.source == ObservationSource.PLATFORM and row.recorded_by == researcher


def test_one_record_per_school_and_day(researcher, school_a):
    services.observation_record(actor=researcher, school=school_a, held_on=dt.date(2025, 10, 9))
    with pytest.raises(ValidationError, match="这一天已有"):
        services.observation_record(actor=researcher, school=school_a, held_on=dt.date(2025, 10, 9))
    assert LessonObservation.objects.count() == 1


def test_a_record_sent_twice_at_once_is_refused_in_chinese(researcher, school_a, monkeypatch):
    # given the day's record saved by the first of two taps on a weak line
    day = dt.date(2025, 10, 9)
    services.observation_record(actor=researcher, school=school_a, held_on=day)
    # when the second passes the check before the first is committed
    exists = QuerySet.exists
    monkeypatch.setattr(
        QuerySet, "exists", lambda qs: False if qs.model is LessonObservation else exists(qs)
    )
    with pytest.raises(ValidationError) as refused:
        services.observation_record(actor=researcher, school=school_a, held_on=day)
    # then the database's unique index refuses it, told in Chinese (was a server error)
    assert refused.value.messages == ["您在这一天已有该校的听课记录（同一天同一学校记一次）。"]
    assert LessonObservation.objects.count() == 1
    assert AuditEvent.objects.filter(summary__startswith="听课记录").count() == 1


def test_a_researcher_cannot_record_at_an_unlinked_school(
    researcher, school_b, inspector, school_a
):
    for actor, school in ((researcher, school_b), (inspector, school_a)):
        with pytest.raises(PermissionDenied):
            services.observation_record(actor=actor, school=school, held_on=dt.date(2025, 10, 9))
    assert not LessonObservation.objects.exists()


def test_progress_counts_both_sources_against_eight(researcher, school_a):
    person = researcher.staff_account.person
    LessonObservation.objects.create(observer=person, school=school_a, held_on=dt.date(2025, 9, 10))
    for day in (11, 12, 13):
        services.observation_record(
            actor=researcher, school=school_a, held_on=dt.date(2025, 10, day)
        )
    (row,) = observation_progress(user=researcher, year=YEAR, semester=1)
    assert (row["school"], row["count"], row["required"], row["percent"]) == (school_a, 4, 8, 50)


def test_a_researcher_is_told_why_no_progress_shows_while_the_year_is_not_started(
    client, researcher, district_admin
):
    """Today's school year has begun, the platform's is still YEAR: the links (of YEAR) are not
    carried over yet, so this semester has none to count against. Say so, not nothing."""
    from django.urls import reverse
    from django.utils import timezone

    from ruraledu.core.models import SchoolYear
    from ruraledu.core.schoolyear import current_school_year, school_year_label, school_year_of

    today_year = school_year_of(timezone.localdate())
    assert today_year > YEAR
    SchoolYear.objects.update_or_create(year=YEAR, defaults={"is_current": True})
    assert current_school_year() == YEAR
    client.force_login(researcher)
    page = client.get(reverse("supervision:home")).content.decode()
    assert 'data-testid="progress-waiting"' in page
    said = f"{school_year_label(today_year)}尚未在平台开始，您的包校联系仍登记在{school_year_label(YEAR)}"
    assert said in page
    # an account without links is told nothing about 听课 progress
    client.force_login(district_admin)
    assert (
        'data-testid="progress-waiting"'
        not in client.get(reverse("supervision:home")).content.decode()
    )
