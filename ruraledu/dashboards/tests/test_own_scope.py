"""A target is judged at its own scope: a district total (实习支教 30 人左右) gives a school or
town no verdict, only a contribution; a rate is judged wherever it is computed. And a year being
collected is shown apart, never as the cockpit's figures."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from ruraledu.core.models import SchoolYear
from ruraledu.core.rollforward import school_year_start
from ruraledu.dashboards.selectors import dashboard_project, dashboard_unit_profile
from ruraledu.indicators.evaluation import evaluate_targets
from ruraledu.indicators.models import IndicatorValue
from ruraledu.plans.models import Target


def stored(code, unit, year, value, numerator=None, denominator=None):
    IndicatorValue.objects.create(
        code=code,
        unit=unit,
        year=year,
        value=value,
        numerator=numerator,
        denominator=denominator,
        computed_at=timezone.now(),
    )


def test_a_district_count_gives_schools_no_verdict_but_a_rate_does(
    zichuan_plan, district, town_a, school_a, district_admin
):
    # 实习支教 30 人左右 (P23-1): the district has 29, school A has 3
    stored("rural_student_teacher_intern_count", district, 2025, 29.0, 29.0)
    stored("rural_student_teacher_intern_count", town_a, 2025, 3.0, 3.0)
    stored("rural_student_teacher_intern_count", school_a.org_unit, 2025, 3.0, 3.0)
    # 温馨校园 (a rate): school A at 0 % fails wherever it is computed
    stored("rural_warm_campus_rate", district, 2025, 50.0, 1.0, 2.0)
    stored("rural_warm_campus_rate", school_a.org_unit, 2025, 0.0, 0.0, 1.0)
    profile = dashboard_unit_profile(unit=school_a.org_unit)
    rows = {r["target"].indicator_code: r for r in profile["rows"]}
    assert rows["rural_student_teacher_intern_count"]["passed"] is None
    assert rows["rural_student_teacher_intern_count"]["contribution"] is True
    assert rows["rural_warm_campus_rate"]["passed"] is False
    # the project page lists no town or school as lagging on the district total
    project = Target.objects.get(code="P23-1").project
    data = dashboard_project(project=project, user=district_admin)
    row = next(r for r in data["rows"] if r["target"].code == "P23-1")
    assert row["towns"] == [] and row["schools"] == []


def test_the_cockpit_shows_the_confirmed_year_and_the_collecting_one_apart(
    client, zichuan_plan, district, district_leader
):
    SchoolYear.objects.create(year=2025, is_current=True)
    stored("town_preschool_public_rate", district, 2025, 60.0, 60.0, 100.0)
    evaluate_targets(today=dt.date(2026, 11, 29))
    school_year_start(year=2026)
    stored("town_preschool_public_rate", district, 2026, 0.0, 0.0, 0.0)
    client.force_login(district_leader)
    page = client.get(reverse("dashboards:cockpit")).content.decode()
    assert "2026—2027学年正在填报" in page and "按已确认的 2025—2026学年" in page
    headline = page.split('data-testid="headline-town_preschool_public_rate"')[1][:600]
    assert "60.00%" in headline and "2025学年" in headline and "2026学年" not in headline
