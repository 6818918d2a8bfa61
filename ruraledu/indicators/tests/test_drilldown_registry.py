"""Every indicator of the registry drills down for the bureau, on a small but complete generated
district, and the records listed give back the stored numerator and denominator (a 差异系数 its
value, recomputed from the per-school table; an 未达标项数 its count of unmet items)."""

import math

import pytest
from django.db import transaction
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.demo.generator.district import ZICHUAN
from ruraledu.demo.generator.runner import demo_generate
from ruraledu.indicators.definitions import quality, special
from ruraledu.indicators.drilldown import drill_parts, drill_records
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute
from ruraledu.orgunits.models import OrgUnit

YEARS = [2024, 2025]


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """The tiny demo district (Zichuan's tree, a few pupils per school), two years, recomputed;
    rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_generate(scale="tiny", years=YEARS, seed=1)
        recompute(years=YEARS)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def bureau(generated, db):
    user = UserFactory(username="bureau")
    district = OrgUnit.objects.get(code=ZICHUAN)
    RoleAssignmentFactory(user=user, role=Role.DISTRICT_ADMIN, org_unit=district)
    return user, district


def close(listed: float, stored: float) -> bool:
    return math.isclose(listed, stored, rel_tol=1e-6, abs_tol=1e-6)


def listed_figure(indicator, part: str, drill) -> float | None:
    """The figure the listed rows give, as the stored value holds it."""
    if part == "table":
        if isinstance(indicator, quality.DifferenceCoefficient):
            return quality.weighted_cv([(row[3], row[4]) for row in drill.rows])
        return float(sum(drill.render(row)[3] == "未达标" for row in drill.rows))
    if isinstance(indicator, special.BachelorRatio):
        return drill.total() / drill.count() * 100 if drill.count() else None
    return float(drill.total()) if drill.amount is not None else float(drill.count())


def stored_figure(stored: IndicatorValue, part: str) -> float | None:
    if part == "table":
        return stored.value
    if part == "short":
        return stored.denominator - stored.numerator
    return getattr(stored, part)


@pytest.mark.parametrize(("year", "open_pages"), [(2025, True), (2024, False)])
def test_every_indicator_drills_down_to_records_that_give_the_stored_figures(
    client, bureau, year, open_pages
):
    # given
    user, district = bureau
    client.force_login(user)
    stored = {v.code: v for v in IndicatorValue.objects.filter(unit=district, year=year)}
    checked, mismatches, missing = 0, [], []

    for code, indicator in sorted(REGISTRY.items()):
        # when
        parts = drill_parts(indicator)
        if not parts:
            missing.append(code)
            continue
        for part in parts:
            if open_pages:  # every page as the bureau opens it (once)
                url = reverse("indicators:indicator_records", args=[code])
                query = f"?unit={ZICHUAN}&year={year}&part={part}"
                assert client.get(url + query).status_code == 200, (code, part)
            drill = drill_records(
                indicator=indicator, part=part, unit=district, year=year, user=user
            )
            value = stored.get(code)
            if value is None:
                continue
            expected = stored_figure(value, part)
            if expected is None:
                continue
            listed = listed_figure(indicator, part, drill)
            checked += 1
            if listed is None or not close(listed, expected):
                mismatches.append((code, part, listed, expected))

    # then
    assert missing == []
    assert mismatches == []
    assert checked > 150  # numerators, denominators, shortfalls and tables of ~90 indicators


def test_a_towns_drill_downs_give_the_towns_stored_figures(bureau):
    # given: the town with the most schools
    from django.db.models import Count

    user, district = bureau
    town = (
        OrgUnit.objects.filter(parent=district)
        .annotate(n=Count("children"))
        .order_by("-n", "code")
        .first()
    )
    stored = {v.code: v for v in IndicatorValue.objects.filter(unit=town, year=2025)}
    mismatches = []

    # when
    for code, value in sorted(stored.items()):
        indicator = REGISTRY[code]
        for part in drill_parts(indicator):
            expected = stored_figure(value, part)
            if expected is None:
                continue
            drill = drill_records(indicator=indicator, part=part, unit=town, year=2025, user=user)
            listed = listed_figure(indicator, part, drill)
            if listed is None or not close(listed, expected):
                mismatches.append((code, part, listed, expected))

    # then
    assert len(stored) > 50
    assert mismatches == []


def test_staff_of_the_teaching_points_are_in_the_drill_down(bureau):
    # given: the generated 教学点 campuses of rural schools, with their staff
    from ruraledu.orgunits.choices import CampusType
    from ruraledu.workforce.models import Post

    user, district = bureau
    posts = Post.objects.filter(
        year=2025,
        school__campus_type=CampusType.TEACHING_POINT,
        school__urban_rural_code__in=("121", "122", "123", "210", "220"),
    )
    points = set(posts.values_list("school__org_unit__name", flat=True))
    assert points

    # when
    drill = drill_records(
        indicator=REGISTRY["rural_teacher_health_check_rate"],
        part="denominator",
        unit=district,
        year=2025,
        user=user,
    )

    # then
    listed = {drill.render(post)[1] for post in drill.rows}
    assert points <= listed
    assert (
        drill.count()
        == IndicatorValue.objects.get(
            code="rural_teacher_health_check_rate", unit=district, year=2025
        ).denominator
    )
