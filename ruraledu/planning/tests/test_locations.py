"""School coordinates: the bureau's form (all or nothing, audited, 404 for others) and the 走教
distances computed from them."""

import pytest
from django.urls import reverse

from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.tests._people_data import YEAR, post, pupils, school, staff
from ruraledu.planning.locations import ROAD_FACTOR, kilometres
from ruraledu.planning.models import SchoolLocation, TravelScenario
from ruraledu.workforce.choices import Subject

URL = reverse("planning:locations")


@pytest.fixture
def area(town_a):
    p1, p2 = school(town_a, "P1"), school(town_a, "P2")
    pupils(p1, 30, grade=1)
    pupils(p2, 90, grade=3)
    for name in ("王老师", "李老师"):
        post(staff(name=name), p1, subject=Subject.MUSIC)
    return p1, p2


def test_kilometres_by_hand():
    # 0.1° of latitude is 11.12 km on a sphere of radius 6371 km; × 1.3 by road
    assert kilometres((36.0, 118.0), (36.1, 118.0)) == round(11.1195 * ROAD_FACTOR, 1)


def test_the_bureau_sets_coordinates_and_travel_reads_them(client, district_admin, town_a, area):
    p1, p2 = area
    client.force_login(district_admin)
    page = client.get(URL, {"area": f"t{town_a.pk}"}).content.decode()
    assert "P1" in page and "P2" in page
    # one bad line: nothing is stored, the school and the rule are named
    bad = {"area": f"t{town_a.pk}", f"lat_{p1.pk}": "36.0", f"lon_{p1.pk}": "118.0"}
    bad |= {f"lat_{p2.pk}": "北纬36", f"lon_{p2.pk}": "118.0"}
    page = client.post(URL, bad, follow=True).content.decode()
    assert "P2的纬度必须是数字（如 36.7981），收到“北纬36”。" in page
    assert "坐标均未保存" in page and not SchoolLocation.objects.exists()
    page = client.post(URL, {**bad, f"lat_{p2.pk}": "99"}, follow=True).content.decode()
    assert "P2：" in page and not SchoolLocation.objects.exists()
    good = {**bad, f"lat_{p2.pk}": "36.1"}
    page = client.post(URL, good, follow=True).content.decode()
    assert "已保存 2 所学校的坐标" in page
    assert AuditEvent.objects.filter(summary__startswith="设置P").count() == 2
    # sending the same again writes nothing and audits nothing more
    client.post(URL, good)
    assert AuditEvent.objects.filter(summary__startswith="设置P").count() == 2
    # a 走教 scenario without typed distances uses them: one visit, there and back
    form = {
        "name": "甲镇走教",
        "year": YEAR,
        "area": f"t{town_a.pk}",
        "weekly_max": 16,
        "per_day": 4,
        "km_cap": 120,
        "default_km": 8,
        "distances": "",
        "hours_music": 2,
        "hours_art": 0,
        "hours_pe": 0,
        "hours_english": 0,
        "hours_it": 0,
    }
    client.post(reverse("planning:travel_create"), form)
    result = TravelScenario.objects.get().result
    assert result["km"] == 2 * round(11.1195 * ROAD_FACTOR, 1)


def test_others_get_a_404_and_nothing_is_written(client, town_officer, area):
    p1, _ = area
    client.force_login(town_officer)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {f"lat_{p1.pk}": "36", f"lon_{p1.pk}": "118"}).status_code == 404
    assert not SchoolLocation.objects.exists()
