import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.models import TargetStatusChange
from ruraledu.indicators.services import recompute
from ruraledu.orgunits.tests.factories import SchoolFactory


def test_cockpit_counts_statuses_and_lists_overdue_targets_with_owners(
    client, district_leader, zichuan_plan, school_a
):
    # given a year of facility data: toilets done, lighting not (projects 13 and 16, due 2023 and 2025)
    FacilityRecord.objects.create(
        school=school_a, year=2024, sanitary_toilets=True, classrooms=10, classrooms_lighting_ok=4
    )
    recompute(years=[2024])
    client.force_login(district_leader)
    body = client.get(reverse("dashboards:cockpit")).content.decode()
    # then every target is counted and the overdue lighting target shows with its lead department
    assert "共 74 个目标" in body
    assert "已逾期" in body and "P16-1" in body
    watch = body.split('data-testid="watch-list"')[1].split("</table>")[0]
    assert "P16-1" in watch and "区教体局" in watch
    assert "P13-1" not in watch  # achieved
    assert "城乡义务教育教师本科学历比例之比" in body


def test_cockpit_shows_what_moved_in_the_last_month(
    client, district_leader, zichuan_plan, school_a
):
    FacilityRecord.objects.create(school=school_a, year=2024, sanitary_toilets=False)
    recompute(years=[2024])
    FacilityRecord.objects.filter(school=school_a).update(sanitary_toilets=True)
    recompute(years=[2024])
    change = TargetStatusChange.objects.filter(target__code="P13-1").order_by("changed_at").last()
    assert (change.previous, change.status) == ("overdue", "achieved")
    TargetStatusChange.objects.create(
        target=change.target,
        previous="achieved",
        status="at_risk",
        value=1,
        changed_at=timezone.now() - dt.timedelta(days=45),
    )
    client.force_login(district_leader)
    moved = (
        client.get(reverse("dashboards:cockpit"))
        .content.decode()
        .split('data-testid="moved"')[1]
        .split("</ul>")[0]
    )
    assert moved.count("<li>") == 1  # the 45-day-old change is not listed
    assert "已逾期 → 已达成" in moved and "▲" in moved


def test_cockpit_query_count_does_not_grow_with_schools(
    client, district_leader, zichuan_plan, town_a, school_a
):
    FacilityRecord.objects.create(school=school_a, year=2024, sanitary_toilets=True)
    recompute(years=[2024])
    client.force_login(district_leader)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dashboards:cockpit")).status_code == 200
        return len(captured)

    before = queries()
    for i in range(10):
        school = SchoolFactory(org_unit__code=f"N{i}", org_unit__parent=town_a)
        FacilityRecord.objects.create(school=school, year=2024)
    recompute(years=[2024])
    assert queries() == before
    assert before <= 21  # 21st: the banner asking for the new school year to be started


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dashboards:cockpit"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_cached_cockpit_changes_when_the_figures_change(
    client, district_leader, zichuan_plan, school_a, settings
):
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    FacilityRecord.objects.create(school=school_a, year=2024, sanitary_toilets=False)
    recompute(years=[2024])
    client.force_login(district_leader)
    watch = (
        client.get(reverse("dashboards:cockpit"))
        .content.decode()
        .split('data-testid="watch-list"')[1]
    )
    assert "P13-1" in watch.split("</table>")[0]
    FacilityRecord.objects.filter(school=school_a).update(sanitary_toilets=True)
    recompute(years=[2024])
    watch = (
        client.get(reverse("dashboards:cockpit"))
        .content.decode()
        .split('data-testid="watch-list"')[1]
    )
    assert "P13-1" not in watch.split("</table>")[0]
