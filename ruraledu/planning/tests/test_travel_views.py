"""走教 and 交流轮岗 pages on real registry rows: worked assignments, locks, an infeasible lock,
eligibility and shares by hand, decisions recorded apart from the posts, bureau-only 404s."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.tests._people_data import YEAR, post, pupils, school, staff
from ruraledu.planning.models import RotationDecision, TravelScenario
from ruraledu.planning.rotation import RULES, suggest
from ruraledu.workforce.choices import Honour, Subject
from ruraledu.workforce.models import Post


@pytest.fixture
def area(town_a):
    """P1 has two music teachers and one class; P2 has two classes of grade 3 and none."""
    p1, p2 = school(town_a, "P1"), school(town_a, "P2")
    pupils(p1, 30, grade=1)
    pupils(p2, 90, grade=3)  # no class names: two classes of 45
    for name in ("王老师", "李老师"):
        post(staff(name=name), p1, subject=Subject.MUSIC)
    return p1, p2


def _form(town, **changes):
    data = {
        "name": "甲镇走教",
        "year": YEAR,
        "area": f"t{town.pk}",
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
    return {**data, **changes}


def test_bureau_solves_locks_and_exports(client, district_admin, town_a, area):
    p1, p2 = area
    client.force_login(district_admin)
    response = client.post(reverse("planning:travel_create"), _form(town_a, distances="P1,P2,5"))
    assert response.status_code == 302
    scenario = TravelScenario.objects.get()
    result = scenario.result
    # P2 needs 2 classes × 2 lessons of music; one teacher goes once: 2 × 5 km
    assert (result["need"], result["covered"], result["km"]) == (4, 4, 10)
    (a,) = result["assignments"]
    assert (a["unit"], a["lessons"], a["visits"], a["home_name"]) == (p2.pk, 4, 1, "P1")
    page = client.get(reverse("planning:travel_detail", args=[scenario.pk])).content.decode()
    assert "全部覆盖" in page and a["teacher_name"] in page
    # forbid the chosen teacher there: the other one goes instead
    key = f"{a['teacher']}-{a['unit']}"
    client.post(
        reverse("planning:travel_lock", args=[scenario.pk]),
        {f"lock-{key}": "1", f"lessons-{key}": "0"},
    )
    scenario.refresh_from_db()
    taught = [x for x in scenario.result["assignments"] if x["lessons"]]
    assert [x["teacher"] for x in taught] != [a["teacher"]] and taught[0]["lessons"] == 4
    assert scenario.inputs["locks"] == [[a["teacher"], p2.pk, 0]]
    assert AuditEvent.objects.filter(object_id=str(scenario.pk)).count() == 2
    locked = AuditEvent.objects.filter(object_id=str(scenario.pk)).latest("pk")
    assert locked.changes == [("锁定的走教安排", [], "锁定的走教安排 0 项、禁止的 1 项")]
    # the scenario's creation reads as a summary, not as its JSON
    created = dict(
        (label, new)
        for label, _, new in AuditEvent.objects.filter(object_id=str(scenario.pk))
        .earliest("pk")
        .changes
    )
    assert created["结果"] == "需求 4 节，覆盖 4 节；走教安排 1 项，每周共 10 公里"
    assert created["输入"].startswith("每班每周课时：音乐 2 节、美术 0 节")
    assert "hours" not in created["输入"]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("planning:travel_export", args=[scenario.pk])).content)
    )
    rows = list(book["走教安排"].iter_rows(values_only=True))
    assert rows[0][0] == "教师" and any(r[3] == "P2" and r[4] == 4 for r in rows[1:])


def test_infeasible_lock_and_bad_distance_get_chinese_messages(
    client, district_admin, town_a, area
):
    client.force_login(district_admin)
    response = client.post(reverse("planning:travel_create"), _form(town_a, distances="P1,P2"))
    assert response.status_code == 400
    assert "学校间距离第 1 行“P1,P2”格式不对" in response.content.decode()
    client.post(reverse("planning:travel_create"), _form(town_a))
    scenario = TravelScenario.objects.get()
    a = scenario.result["assignments"][0]
    key = f"{a['teacher']}-{a['unit']}"
    # 20 lessons is more than the teacher's 15 spare ones (16 less half of P1's 2)
    client.post(
        reverse("planning:travel_lock", args=[scenario.pk]),
        {f"lock-{key}": "1", f"lessons-{key}": "20"},
    )
    scenario.refresh_from_db()
    assert not scenario.result["feasible"]
    page = client.get(reverse("planning:travel_detail", args=[scenario.pk])).content.decode()
    assert "无可行的走教安排" in page and "取消全部锁定并重新求解" in page


def test_a_school_need_set_by_hand_overrides_the_roster(client, district_admin, town_a, area):
    client.force_login(district_admin)
    response = client.post(reverse("planning:travel_create"), _form(town_a, needs="P2,钢琴,3"))
    assert "个别学校课时第 1 行“P2,钢琴,3”格式不对" in response.content.decode()
    client.post(reverse("planning:travel_create"), _form(town_a, needs="P2,音乐,6"))
    result = TravelScenario.objects.get().result
    assert (result["need"], result["covered"]) == (6, 6)


def test_nothing_to_do_says_so(client, district_admin, town_a, area):
    client.force_login(district_admin)
    client.post(reverse("planning:travel_create"), _form(town_a, hours_music=0))
    assert "无需走教" in TravelScenario.objects.get().result["message"]


def _chain(at, first, last, *, name, **fields):
    person = staff(name=name)
    for year in range(first, last + 1):
        post(person, at, year=year, **fields)
    return person


def test_eligibility_and_shares_by_hand(district, town_a):
    p1, p2 = school(town_a, "P1"), school(town_a, "P2")
    for i in range(8):  # seven years at P1 (2018–2024)
        _chain(p1, 2018, YEAR, name=f"满{i}", subject=Subject.CHINESE)
    for i in range(2):
        _chain(p1, 2018, YEAR, name=f"骨干{i}", subject=Subject.PE, honour=Honour.BACKBONE)
    for i in range(5):  # four years at P1
        _chain(p1, 2021, YEAR, name=f"新{i}", subject=Subject.MATHS)
    # the chain reaches the first year on record: 入职年份 2005 stands in
    _chain(p2, 2018, YEAR, name="老教师", subject=Subject.MATHS, hired_year=2005)
    result = suggest(YEAR, RULES, district)
    assert result["eligible_count"] == 11  # 8 + 2 + 老教师; the four-year ones are not
    assert (result["required"], result["backbone_required"]) == (2, 1)  # ⌈1.1⌉, ⌈0.4⌉
    assert result["backbone_chosen"] == 1
    assert result["rows"][0]["post"].honour == Honour.BACKBONE
    old = next(e for e in result["eligible"] if e[0].person_name == "老教师")
    assert old[1:] == (20, True)
    wider = suggest(YEAR, {**RULES, "min_years": 4, "share": 0.25}, district)
    assert (wider["eligible_count"], wider["required"], wider["backbone_required"]) == (16, 4, 1)
    # a backbone PE teacher goes to a school without PE teachers (P2)
    assert result["rows"][0]["target"] == p2.pk


def test_decision_is_recorded_and_audited_without_touching_posts(client, district_admin, town_a):
    p1, p2 = school(town_a, "P1"), school(town_a, "P2")
    person = _chain(p1, 2017, YEAR, name="赵老师", subject=Subject.ART)
    posts_before = list(Post.objects.values_list("pk", "school_id", "year").order_by("pk"))
    client.force_login(district_admin)
    page = client.get(reverse("planning:rotation"), {"year": YEAR}).content.decode()
    assert "赵老师" in page and "符合条件教师 1 名" in page
    data = {"year": YEAR, "person": person.pk, "decision": "rotate", "to_school": ""}
    response = client.post(reverse("planning:rotation_decide"), data, follow=True)
    assert "同意轮岗须选择一所其他学校" in response.content.decode()
    response = client.post(
        reverse("planning:rotation_decide"), {**data, "to_school": "X9"}, follow=True
    )
    assert "学校代码“X9”不存在" in response.content.decode()
    client.post(reverse("planning:rotation_decide"), {**data, "to_school": "P2"})
    decision = RotationDecision.objects.get()
    assert (decision.from_school_id, decision.to_school_id) == (p1.pk, p2.pk)
    client.post(reverse("planning:rotation_decide"), {**data, "decision": "defer"})
    decision.refresh_from_db()
    assert decision.decision == "defer" and RotationDecision.objects.count() == 1
    assert AuditEvent.objects.filter(object_id=str(decision.pk)).count() == 2
    page = client.get(reverse("planning:rotation"), {"year": YEAR}).content.decode()
    assert "已记录的决定（1）" in page and "暂缓" in page
    assert list(Post.objects.values_list("pk", "school_id", "year").order_by("pk")) == posts_before


@pytest.mark.parametrize("persona", ["town_officer", "school_clerk", "district_leader"])
def test_others_get_404(client, persona, request, district_admin, town_a, area):
    client.force_login(district_admin)
    client.post(reverse("planning:travel_create"), _form(town_a))
    pk = TravelScenario.objects.get().pk
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("planning:travel_list"),
        reverse("planning:travel_create"),
        reverse("planning:travel_detail", args=[pk]),
        reverse("planning:travel_export", args=[pk]),
        reverse("planning:rotation"),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("planning:travel_create"), _form(town_a)).status_code == 404
    assert client.post(reverse("planning:travel_lock", args=[pk]), {}).status_code == 404
    assert client.post(reverse("planning:rotation_decide"), {}).status_code == 404
    assert TravelScenario.objects.count() == 1


def test_demo_solves_one_scenario_for_the_largest_area_once(district_admin, town_a, area):
    from ruraledu.planning.demo import travel_demo_setup

    first = travel_demo_setup(actor=district_admin, year=YEAR)
    again = travel_demo_setup(actor=district_admin, year=YEAR)
    assert first.pk == again.pk and TravelScenario.objects.count() == 1
    assert first.area_name == "甲镇" and first.result["covered"] == 4


@pytest.mark.parametrize("back", ["x", "planning:travel_list", "https://example.com/"])
def test_a_decision_whose_way_back_is_no_path_returns_to_the_rotation_page(
    client, district_admin, town_a, back
):
    person = _chain(school(town_a, "P1"), 2017, YEAR, name="赵老师", subject=Subject.ART)
    client.force_login(district_admin)
    data = {"year": YEAR, "person": person.pk, "decision": "defer", "back": back}
    response = client.post(reverse("planning:rotation_decide"), data)
    assert response.status_code == 302
    assert response.url == reverse("planning:rotation")
    assert RotationDecision.objects.get().decision == "defer"
