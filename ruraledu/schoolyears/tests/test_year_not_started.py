"""Once today's school year has begun and nobody has started it on the platform, the cockpit
and the 学年 page say so: new records still go under the older year until the bureau acts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ruraledu.core.models import SchoolYear
from ruraledu.core.schoolyear import school_year_label, school_year_of, year_not_started

THIS_YEAR = school_year_of(timezone.localdate())


def gap_banner(client, user, name: str) -> str:
    client.force_login(user)
    page = client.get(reverse(name)).content.decode()
    start = page.find('data-testid="year-gap"')
    return "" if start < 0 else page[start : page.index("</div>", start)]


def test_none_while_the_current_year_is_todays(db):
    SchoolYear.objects.create(year=THIS_YEAR, is_current=True)
    assert year_not_started() is None


def test_the_years_are_named_when_today_is_past_the_current_one(db):
    SchoolYear.objects.create(year=THIS_YEAR - 2, is_current=True)
    assert year_not_started() == {
        "current": school_year_label(THIS_YEAR - 2),
        "due": school_year_label(THIS_YEAR),
        "next": school_year_label(THIS_YEAR - 1),  # the one year that may be started next
    }


@pytest.fixture
def year_behind(db):
    SchoolYear.objects.create(year=THIS_YEAR - 1, is_current=True)


def test_the_bureau_is_sent_to_start_the_year(client, zichuan_plan, district_admin, year_behind):
    banner = gap_banner(client, district_admin, "dashboards:cockpit")
    assert f"今天已进入{school_year_label(THIS_YEAR)}" in banner
    assert f"平台的当前学年仍是{school_year_label(THIS_YEAR - 1)}" in banner
    assert reverse("schoolyears:schoolyear_list") in banner
    assert f"开始{school_year_label(THIS_YEAR)}" in banner
    # on the 学年 page itself the start form is just below
    banner = gap_banner(client, district_admin, "schoolyears:schoolyear_list")
    assert f"请在下方开始{school_year_label(THIS_YEAR)}" in banner


def test_a_school_is_told_to_wait(client, zichuan_plan, school_clerk, year_behind):
    banner = gap_banner(client, school_clerk, "dashboards:cockpit")
    assert "请等待区教体局开始新学年" in banner
    assert reverse("schoolyears:schoolyear_list") not in banner


def test_no_banner_once_the_year_is_started(client, zichuan_plan, district_admin, year_behind):
    from ruraledu.schoolyears.services import school_year_open

    school_year_open(year=THIS_YEAR, actor=district_admin)
    assert year_not_started() is None
    assert gap_banner(client, district_admin, "dashboards:cockpit") == ""
    assert gap_banner(client, district_admin, "schoolyears:schoolyear_list") == ""
