"""A city install of two districts: each district's forecast covers its own schools and
villages, its bureau runs it and sets its own 编制核定标准, and another district's run or
standard does not exist for it (404); the city's bureau chooses the district."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.audit.models import AuditEvent
from ruraledu.forecast.models import BirthRecord, ForecastCell, ForecastRun, StaffingRule
from ruraledu.forecast.selectors import history_load, rule_get, staffing
from ruraledu.forecast.services import forecast_run_create, staffing_rule_set
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.districts import districts
from ruraledu.orgunits.models import OrgUnit
from ruraledu.orgunits.tests.factories import OrgUnitFactory, SchoolFactory

from .conftest import YEARS, enrol, staff

OVERVIEW = reverse("forecast:overview")
STAFFING = reverse("forecast:staffing")
SUBJECTS = reverse("forecast:subjects")
RULE_FIELDS = {
    "primary_pupils_per_post": "19",
    "junior_pupils_per_post": "13.5",
    "primary_posts_per_class": "1.7",
    "junior_posts_per_class": "2.5",
    "small_school_pupils": "100",
    "teaching_point_pupils": "50",
    "primary_class_size": "45",
    "junior_class_size": "50",
}


def _user(name, role, unit):
    user = UserFactory(username=name)
    RoleAssignmentFactory(user=user, role=role, org_unit=unit)
    return user


@pytest.fixture
def a(city):
    return city.children.get(code="A")


@pytest.fixture
def b(city):
    return city.children.get(code="B")


@pytest.fixture
def schools(a, b):
    """A school and a village in each district's town: A's school takes 8 of its village's 20
    births a year, B's 30 of 60; three years of rosters, and posts in the last."""
    found = {}
    for district, entrants, births in ((a, 8, 20), (b, 30, 60)):
        town = district.children.get()
        code = district.code
        village = OrgUnitFactory(
            code=f"{code}V", name=f"{code}村", kind=OrgUnitKind.VILLAGE, parent=town
        )
        school = SchoolFactory(
            org_unit__code=f"{code}S", org_unit__name=f"{code}区小学", org_unit__parent=town
        )
        for year in YEARS:
            enrol(school, year, 1, entrants, village)
            enrol(school, year, 2, entrants, village)
        for birth_year in range(2016, 2024):
            BirthRecord.objects.create(village=village, birth_year=birth_year, births=births)
        staff(school, YEARS[-1], 2)
        found[code] = school
    return found


@pytest.fixture
def admin_a(a):
    return _user("admin_a", Role.DISTRICT_ADMIN, a)


@pytest.fixture
def admin_b(b):
    return _user("admin_b", Role.DISTRICT_ADMIN, b)


@pytest.fixture
def city_admin(city):
    return _user("city_admin", Role.DISTRICT_ADMIN, city)


def _schools_of(run):
    return set(
        ForecastCell.objects.filter(run=run).values_list("school__org_unit__code", flat=True)
    )


def test_a_run_covers_its_district_schools_and_villages_only(a, b, schools, admin_a, city_admin):
    history = history_load(a)
    assert set(history.schools) == {schools["A"].pk}
    assert {v for v, _ in history.births} == {OrgUnit.objects.get(code="AV").pk}
    run = forecast_run_create(actor=admin_a)
    assert run.unit == a and _schools_of(run) == {"AS"}
    assert set(run.backtests.values_list("school__org_unit__code", flat=True)) == {"AS"}
    assert ForecastCell.objects.get(run=run, year=2025, grade=1).expected == pytest.approx(8)
    # the city's bureau names the district it forecasts
    with pytest.raises(ValidationError, match="请选择区县"):
        forecast_run_create(actor=city_admin)
    for_b = forecast_run_create(actor=city_admin, unit=b)
    assert for_b.unit == b and _schools_of(for_b) == {"BS"}
    # a district's bureau forecasts no other district
    with pytest.raises(Http404):
        forecast_run_create(actor=admin_a, unit=b)
    assert ForecastRun.objects.count() == 2


def test_a_district_bureau_reads_and_writes_its_own_district_only(
    client, a, b, schools, admin_a, admin_b, django_capture_on_commit_callbacks
):
    theirs = forecast_run_create(actor=admin_b)
    staffing_rule_set(actor=admin_b, primary_pupils_per_post=Decimal("15"))
    client.force_login(admin_a)
    page = client.get(OVERVIEW)
    text = page.content.decode()
    # its own district, nothing to choose, and no run of its own yet: B's is not shown
    assert page.context["unit"] == a and page.context["run"] is None
    assert 'data-testid="unit-pick"' not in text and "尚未测算" in text and "B区小学" not in text
    # another district's run, school and standard do not exist for it
    for url in (OVERVIEW, STAFFING, SUBJECTS, reverse("forecast:subjects_export")):
        assert client.get(url, {"unit": "B"}).status_code == 404
    detail = reverse("forecast:school_detail", args=[schools["B"].pk])
    assert client.get(detail).status_code == 404
    assert client.post(reverse("forecast:run"), {"unit": "B"}).status_code == 404
    rule = {**RULE_FIELDS, "primary_pupils_per_post": "12", "unit": "B"}
    assert client.post(reverse("forecast:staffing_rule"), rule).status_code == 404
    hours = {"unit": "B", "primary_weekly_lessons": "10", "junior_weekly_lessons": "10"}
    assert client.post(reverse("forecast:subjects_rule"), hours).status_code == 404
    assert ForecastRun.objects.get() == theirs
    assert rule_get(b).primary_pupils_per_post == 15 and rule_get(b).primary_weekly_lessons == 14
    assert not AuditEvent.objects.filter(actor=admin_a).exists()
    # its own run: requested for its district, computed over its schools only
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("forecast:run")).status_code == 302
    ours = ForecastRun.objects.exclude(pk=theirs.pk).get()
    assert ours.unit == a and ours.status == ForecastRun.Status.DONE and _schools_of(ours) == {"AS"}
    page = client.get(OVERVIEW)
    assert page.context["run"] == ours
    assert "A区小学" in page.content.decode() and "B区小学" not in page.content.decode()
    assert client.get(reverse("forecast:school_detail", args=[schools["A"].pk])).status_code == 200
    # B's later run does not make A's page wait or show it
    forecast_run_create(actor=admin_b)
    assert client.get(OVERVIEW).context["run"] == ours


def test_each_district_sets_its_own_staffing_standard(client, a, b, schools, admin_a, admin_b):
    ours, theirs = forecast_run_create(actor=admin_a), forecast_run_create(actor=admin_b)
    client.force_login(admin_a)
    response = client.post(
        reverse("forecast:staffing_rule"), {**RULE_FIELDS, "primary_pupils_per_post": "8"}
    )
    assert response.status_code == 302 and response.url == STAFFING
    (rule,) = StaffingRule.objects.all()
    assert rule.unit == a and rule.primary_pupils_per_post == 8
    event = AuditEvent.objects.get(summary="编制核定标准")
    assert event.actor == admin_a and event.after["unit"] == a.pk
    assert event.object_repr == "A区编制核定标准"
    # A's 16 pupils at 1:8 need 2 posts by ratio; B's standard is still the default 1:19
    _, (line,), towns = staffing(run=ours, user=admin_a)
    assert line.by_ratio == 2
    assert line.town == "A镇" and [t["name"] for t in towns] == ["A镇"]  # the town under a city
    (line,) = staffing(run=theirs, user=admin_b)[1]
    assert line.by_ratio == 4  # 60 / 19
    client.force_login(admin_b)
    assert client.get(STAFFING).context["rule"].primary_pupils_per_post == 19
    staffing_rule_set(actor=admin_b, primary_pupils_per_post=Decimal("12"))
    assert StaffingRule.objects.get(unit=b).primary_pupils_per_post == 12
    assert StaffingRule.objects.get(unit=a).primary_pupils_per_post == 8


def test_the_city_bureau_chooses_the_district(client, a, b, schools, city_admin):
    client.force_login(city_admin)
    page = client.get(OVERVIEW)
    text = page.content.decode()
    assert page.context["unit"] == a  # the first district until another is chosen
    assert '<option value="A" selected>A区</option>' in text
    assert '<option value="B">B区</option>' in text
    # a run is requested for the district chosen; none is taken for the city
    assert client.post(reverse("forecast:run")).status_code == 404
    assert not ForecastRun.objects.exists()
    response = client.post(reverse("forecast:run"), {"unit": "B"})
    assert response.url == f"{OVERVIEW}?unit=B"
    queued = ForecastRun.objects.get()
    assert queued.unit == b and queued.created_by == city_admin
    forecast_run_create(actor=city_admin, unit=b)
    page = client.get(OVERVIEW, {"unit": "B"})
    assert page.context["unit"] == b and page.context["run"].unit == b
    text = page.content.decode()
    assert "B区小学" in text and "A区小学" not in text
    assert '<input type="hidden" name="unit" value="B">' in text
    assert f'href="{STAFFING}?unit=B"' in text
    assert client.get(OVERVIEW).context["run"] is None  # A has none
    # the standard of the district chosen
    response = client.post(
        reverse("forecast:staffing_rule"),
        {**RULE_FIELDS, "primary_pupils_per_post": "10", "unit": "B"},
    )
    assert response.url == f"{STAFFING}?unit=B"
    assert StaffingRule.objects.get().unit == b
    assert client.get(STAFFING, {"unit": "B"}).context["rule"].primary_pupils_per_post == 10
    assert client.get(STAFFING, {"unit": "A"}).context["rule"].primary_pupils_per_post == 19


def test_a_page_and_a_write_read_the_install_districts_once(client, a, b, schools, city_admin):
    with CaptureQueriesContext(connection) as alone:
        districts()
    (read,) = [q["sql"] for q in alone.captured_queries]
    forecast_run_create(actor=city_admin, unit=b)
    client.force_login(city_admin)
    # the page asks which districts the user reads and which it runs: one read of them
    with CaptureQueriesContext(connection) as page:
        response = client.get(OVERVIEW, {"unit": "B"})
    assert response.status_code == 200 and response.context["bureau"]
    assert [q["sql"] for q in page.captured_queries].count(read) == 1
    # a write: the view asks which it runs and its redirect which it reads (one read of them),
    # the service checks the district written on its own (the other)
    with CaptureQueriesContext(connection) as write:
        response = client.post(
            reverse("forecast:staffing_rule"),
            {**RULE_FIELDS, "primary_pupils_per_post": "10", "unit": "B"},
        )
    assert response.url == f"{STAFFING}?unit=B"
    assert [q["sql"] for q in write.captured_queries].count(read) == 2


def test_a_district_leader_reads_its_district_and_writes_nothing(client, b, schools):
    forecast_run_create(actor=None, unit=b)
    client.force_login(_user("leader_b", Role.DISTRICT_LEADER, b))
    page = client.get(OVERVIEW)
    assert page.context["run"].unit == b and not page.context["bureau"]
    assert client.get(OVERVIEW, {"unit": "A"}).status_code == 404
    assert client.post(reverse("forecast:run")).status_code == 404
    assert client.post(reverse("forecast:staffing_rule"), RULE_FIELDS).status_code == 404


def test_a_plan_on_projected_pupils_reads_its_own_district_run(a, b, schools, admin_a, admin_b):
    from ruraledu.planning.plan_data import forecast_for

    ours = forecast_run_create(actor=admin_a)
    forecast_run_create(actor=admin_b)  # newer, of the other district
    assert forecast_for(2025, a) == ours


@pytest.fixture
def a_second_town(a, schools):
    """A second town in district A with a school of its own in A's runs."""
    town = OrgUnitFactory(code="A2", name="A二镇", kind=OrgUnitKind.TOWN, parent=a)
    school = SchoolFactory(org_unit__code="A2S", org_unit__name="A二镇小学", org_unit__parent=town)
    village = OrgUnit.objects.get(code="AV")
    for year in YEARS:
        enrol(school, year, 1, 5, village)
        enrol(school, year, 2, 5, village)
    return school


def _menu(page) -> bool:
    return ("生源预测与编制", OVERVIEW) in page.context["nav_items"]


def test_a_town_office_of_a_city_district_reads_its_own_schools_of_that_district_run(
    client, a, schools, a_second_town, admin_a, admin_b
):
    ours = forecast_run_create(actor=admin_a)
    forecast_run_create(actor=admin_b)  # the other district's, newer
    assert _schools_of(ours) == {"AS", "A2S"}
    # a town office sits one level deeper under a city than in a single-district install
    client.force_login(_user("town_a", Role.TOWN_OFFICER, a.children.get(code="A1")))
    page = client.get(OVERVIEW)
    assert page.status_code == 200 and _menu(page)
    text = page.content.decode()
    assert page.context["unit"] == a and page.context["run"] == ours
    assert not page.context["bureau"] and 'data-testid="unit-pick"' not in text
    assert "A区小学" in text and "A二镇小学" not in text and "B区小学" not in text
    for url in (STAFFING, SUBJECTS):
        text = client.get(url).content.decode()
        assert "A区小学" in text and "A二镇小学" not in text and "B区小学" not in text
    assert client.get(reverse("forecast:school_detail", args=[schools["A"].pk])).status_code == 200
    for school in (a_second_town, schools["B"]):
        assert client.get(reverse("forecast:school_detail", args=[school.pk])).status_code == 404
    assert client.get(OVERVIEW, {"unit": "B"}).status_code == 404
    # it reads, and writes nothing
    assert client.post(reverse("forecast:run")).status_code == 404
    assert client.post(reverse("forecast:staffing_rule"), RULE_FIELDS).status_code == 404
    assert ForecastRun.objects.count() == 2 and not StaffingRule.objects.exists()


def test_a_school_role_of_a_city_district_has_neither_page_nor_menu_item(client, schools):
    client.force_login(_user("clerk_a", Role.SCHOOL_CLERK, schools["A"].org_unit))
    assert not _menu(client.get(reverse("orgunits:unit_home"), follow=True))
    assert client.get(OVERVIEW).status_code == 404
