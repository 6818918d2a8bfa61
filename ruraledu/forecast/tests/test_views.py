"""Who sees the forecast: the bureau everything, a town its own schools, others a 404."""

import pytest
from django.urls import reverse

from ruraledu.forecast.models import ForecastRun, StaffingRule
from ruraledu.forecast.services import forecast_run_create

OVERVIEW = reverse("forecast:overview")
STAFFING = reverse("forecast:staffing")


@pytest.fixture
def run(rosters, district_admin):
    return forecast_run_create(actor=district_admin)


def test_the_bureau_sees_every_school_and_the_backtest_error(client, run, district_admin):
    client.force_login(district_admin)
    page = client.get(OVERVIEW).content.decode()
    assert "甲镇中心小学" in page and "乙镇中心小学" in page
    assert 'data-testid="model-error">0.0%<' in page
    assert "已是小规模的学校（2 所）" in page
    # a single-district install has no district to choose, on any page or form
    for url in (STAFFING, reverse("forecast:subjects")):
        page += client.get(url).content.decode()
    assert 'data-testid="unit-pick"' not in page and 'name="unit"' not in page
    assert "?unit=" not in page


def test_a_town_sees_only_its_schools(client, run, town_officer, school_b):
    client.force_login(town_officer)
    page = client.get(OVERVIEW).content.decode()
    assert "甲镇中心小学" in page and "乙镇中心小学" not in page
    staffing = client.get(STAFFING).content.decode()
    assert "甲镇中心小学" in staffing and "乙镇中心小学" not in staffing
    other = client.get(reverse("forecast:school_detail", args=[school_b.pk]))
    assert other.status_code == 404


def test_a_town_opens_its_school(client, run, town_officer, school_a):
    client.force_login(town_officer)
    page = client.get(reverse("forecast:school_detail", args=[school_a.pk])).content.decode()
    assert "1年级" in page and "1 个班" in page


@pytest.mark.parametrize("url", [OVERVIEW, STAFFING])
def test_a_school_clerk_gets_a_404(client, run, school_clerk, url):
    client.force_login(school_clerk)
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, run):
    assert client.get(OVERVIEW).status_code == 302


def test_a_town_cannot_rerun_or_edit_the_rules(client, run, town_officer):
    client.force_login(town_officer)
    assert client.post(reverse("forecast:run")).status_code == 404
    response = client.post(reverse("forecast:staffing_rule"), {"primary_pupils_per_post": "5"})
    assert response.status_code == 404
    assert ForecastRun.objects.count() == 1


def test_the_bureau_reruns_in_the_background(
    client, run, district_admin, django_capture_on_commit_callbacks
):
    client.force_login(district_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("forecast:run"))
    assert response.status_code == 302
    # the request only queues the run: the page still shows the finished one and says so
    queued = ForecastRun.objects.exclude(pk=run.pk).get()
    assert queued.status == ForecastRun.Status.QUEUED and not queued.cells.exists()
    page = client.get(OVERVIEW).content.decode()
    assert "正在后台测算" in page and 'data-testid="model-error">0.0%<' in page
    # a second click while it waits queues nothing more
    client.post(reverse("forecast:run"))
    assert ForecastRun.objects.count() == 2
    assert len(callbacks) == 1
    callbacks[0]()  # the task worker (immediate in tests) fills it
    queued.refresh_from_db()
    assert queued.status == ForecastRun.Status.DONE
    assert queued.cells.count() == run.cells.count()
    assert "正在后台测算" not in client.get(OVERVIEW).content.decode()


def test_the_bureau_edits_the_rules_on_the_page(client, run, district_admin):
    client.force_login(district_admin)
    rule_url = reverse("forecast:staffing_rule")
    fields = {
        "primary_pupils_per_post": "19",
        "junior_pupils_per_post": "13.5",
        "primary_posts_per_class": "1.7",
        "junior_posts_per_class": "2.5",
        "small_school_pupils": "100",
        "teaching_point_pupils": "50",
        "primary_class_size": "45",
        "junior_class_size": "50",
    }
    # a negative ratio is refused with the field named; nothing is stored
    page = client.post(rule_url, {**fields, "primary_pupils_per_post": "-1"}, follow=True)
    assert "小学生师比（学生数:1）：确保该值大于或等于1。" in page.content.decode()
    assert not StaffingRule.objects.exists()
    # a valid change is stored
    client.post(rule_url, {**fields, "primary_pupils_per_post": "15"})
    assert StaffingRule.objects.get().primary_pupils_per_post == 15


def test_a_school_small_already_is_not_one_that_will_become_small(client, run, district_admin):
    # both schools have fewer than 100 pupils in the base year (16 and 60): the page must not
    # say they "will become" small from a later year
    client.force_login(district_admin)
    page = client.get(OVERVIEW).content.decode()
    assert "将成为小规模学校的学校（0 所）" in page
    already = page[page.index('data-testid="already-small-schools"') :]
    already = already[: already.index("</ul>")]
    assert "甲镇中心小学" in already and "2024 学年实际 16 人" in already
    assert "乙镇中心小学" in already and "2024 学年实际 60 人" in already
