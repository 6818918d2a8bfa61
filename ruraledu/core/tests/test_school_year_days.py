"""A record's date must lie in its school year; a date in a year not started says so."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ruraledu.core.models import SchoolYear
from ruraledu.core.schoolyear import check_day_in_year, school_year_of

TODAY = timezone.localdate()
THIS_YEAR = school_year_of(TODAY)


def test_a_day_of_the_year_passes(db):
    SchoolYear.objects.create(year=THIS_YEAR, is_current=True)
    check_day_in_year(TODAY, THIS_YEAR, "联系日期")


def test_a_day_ahead_is_refused(db):
    with pytest.raises(ValidationError, match="联系日期不能晚于今天"):
        check_day_in_year(TODAY + dt.timedelta(days=1), THIS_YEAR, "联系日期")


def test_today_in_a_year_not_started_says_the_year_must_be_started(db):
    # the platform's current year is last year: today belongs to a year nobody started
    SchoolYear.objects.create(year=THIS_YEAR - 1, is_current=True)
    with pytest.raises(ValidationError) as refused:
        check_day_in_year(TODAY, THIS_YEAR - 1, "联系日期")
    (message,) = refused.value.messages
    assert message.startswith(f"联系日期须在{THIS_YEAR - 1}—{THIS_YEAR}学年内（")
    assert f"{THIS_YEAR}—{THIS_YEAR + 1}学年尚未开始" in message
    assert "开始新学年后再登记" in message


def test_a_day_before_the_year_only_names_the_year(db):
    SchoolYear.objects.create(year=THIS_YEAR, is_current=True)
    with pytest.raises(ValidationError) as refused:
        check_day_in_year(dt.date(THIS_YEAR, 8, 31), THIS_YEAR, "送教日期")
    (message,) = refused.value.messages
    assert message == (
        f"送教日期须在{THIS_YEAR}—{THIS_YEAR + 1}学年内"
        f"（{THIS_YEAR}-09-01 至 {THIS_YEAR + 1}-08-31）。"
    )
