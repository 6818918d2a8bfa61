"""Before a new school year starts, the bureau is shown which 挂牌 assignments end and who
loses a role; the start then ends exactly those and nothing else."""

import re

from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.models import RoleAssignment
from ruraledu.core.models import SchoolYear
from ruraledu.core.schoolyear import school_year_bounds
from ruraledu.supervision.models import InspectorAssignment

from .conftest import LAST, NEW


def items(page: str, testid: str) -> list[str]:
    start = page.find(f'data-testid="{testid}"')
    if start < 0:
        return []
    block = page[start : page.index("</details>", start)]
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li.*?</li>", block, re.S)]


def test_the_preview_lists_what_the_start_ends(client, district_admin, year_with_people):
    li, zhou, wang = year_with_people
    url = reverse("schoolyears:schoolyear_list")
    client.force_login(district_admin)
    # when the bureau asks to start the year
    page = client.post(url, {"action": "start", "year": NEW}).content.decode()
    # then both of last year's assignments are listed as ending; only 李 loses the school
    ending = sorted(items(page, "ending-assignments"))
    last_day = f"{school_year_bounds(LAST)[1]:%Y-%m-%d}"
    assert ending == [
        f"周督学 · 乙镇中心小学：{LAST}—{NEW}学年挂牌安排于 {last_day} 结束",
        f"李督学 · 甲镇中心小学：{LAST}—{NEW}学年挂牌安排于 {last_day} 结束，收回其对该校的督导权限",
    ]
    # and the researcher loses B only (A's link rolls into the new year)
    assert items(page, "ending-researcher-roles") == [
        f"王教研 · 乙镇中心小学：包校联系未延续到{NEW}—{NEW + 1}学年，收回其在该校的听课权限"
    ]
    assert not SchoolYear.objects.filter(year=NEW).exists()  # nothing done yet

    # when the bureau confirms
    done = client.post(url, {"action": "start", "year": NEW, "confirmed": "yes"}, follow=True)
    # then the bureau is told how many ended, and exactly those end: last year's two assignments, not next year's
    assert "同时结束或收回：挂牌督学安排 2 项、教研员听课权限 1 项。" in done.content.decode()
    assert SchoolYear.objects.get(year=NEW).is_current
    ended = InspectorAssignment.objects.filter(ended_on__isnull=False)
    assert sorted((a.inspector.full_name, a.year) for a in ended) == [
        ("周督学", LAST),
        ("李督学", LAST),
    ]
    assert {a.ended_on for a in ended} == {school_year_bounds(LAST)[1]}
    assert InspectorAssignment.objects.get(ended_on__isnull=True).inspector == zhou
    # and exactly those roles go: 李's and 王's on B; 周's and 王's on A stay
    held = set(
        RoleAssignment.objects.filter(user__in=[li, zhou, wang]).values_list(
            "user__full_name", "role", "org_unit__name"
        )
    )
    assert held == {
        ("周督学", Role.INSPECTOR, "乙镇中心小学"),
        ("王教研", Role.RESEARCHER, "甲镇中心小学"),
    }
