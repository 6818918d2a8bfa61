"""On an install serving a city each scenario is one district's: it is computed over that
district's schools (优质均衡 is judged per district), its district's bureau plans it and no other
district's, and the city's bureau plans each district, choosing which. 交流轮岗 and 走教 are
likewise a district's."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.tests._people_data import YEAR, facility, post, pupils, school, staff
from ruraledu.planning.inputs import DEFAULTS
from ruraledu.planning.models import RotationDecision, Scenario, TravelScenario
from ruraledu.planning.rotation import RULES, needing_schools, suggest
from ruraledu.planning.selectors import district_schools
from ruraledu.planning.services import scenario_create, scenario_solve
from ruraledu.planning.travel_services import rotation_decide, travel_create, travel_lock
from ruraledu.workforce.choices import Degree, Honour, Subject
from ruraledu.workforce.models import Post, StaffPerson

FULL = {
    "teaching_area": 450,
    "gym_area": 150,
    "sports_ground_area": 600,
    "equipment_value": 200000,
    "multimedia_classrooms": 3,
}


def _user(name, role, unit):
    user = UserFactory(username=name)
    RoleAssignmentFactory(user=user, role=role, org_unit=unit)
    return user


@pytest.fixture
def schools(district_a, district_b):
    """A school of 100 pupils in each district; B's has a 骨干 PE teacher, 王老师."""
    found = {}
    for district in (district_a, district_b):
        at = school(district.children.get(), f"{district.code}S")
        pupils(at, 100, year=YEAR)
        facility(at, year=YEAR, **FULL)
        found[district.code] = at
    Post.objects.create(
        person=staff(name="王老师"),
        school=found["B"],
        year=YEAR,
        degree=Degree.BACHELOR,
        subject=Subject.PE,
        honour=Honour.BACKBONE,
    )
    return found


@pytest.fixture
def admin_a(district_a):
    return _user("admin_a", Role.DISTRICT_ADMIN, district_a)


@pytest.fixture
def admin_b(district_b):
    return _user("admin_b", Role.DISTRICT_ADMIN, district_b)


@pytest.fixture
def city_admin(city):
    return _user("city_admin", Role.DISTRICT_ADMIN, city)


def _post(**changes):
    data = {"name": "方案", "year": YEAR, "max_area": 3000, "max_posts": 10, "time_limit": 20}
    data.update({f"cost_{k}": v for k, v in DEFAULTS["costs"].items()})
    return {**data, **changes}


def _solved(client, **changes) -> Scenario:
    before = set(Scenario.objects.values_list("pk", flat=True))
    response = client.post(reverse("planning:scenario_create"), _post(**changes))
    assert response.status_code == 302, response.content.decode()
    (scenario,) = Scenario.objects.exclude(pk__in=before)
    return scenario_solve(scenario_id=scenario.pk)


def test_a_scenario_is_computed_over_its_district_schools_only(
    district_a, district_b, schools, admin_a
):
    assert [s["code"] for s in district_schools(YEAR, district_a)] == ["AS"]
    assert [s["code"] for s in district_schools(YEAR, district_b)] == ["BS"]
    scenario = scenario_solve(
        scenario_id=scenario_create(
            actor=admin_a, name="甲", year=YEAR, inputs={**DEFAULTS, "max_posts": 10}
        ).pk
    )
    assert scenario.unit == district_a and scenario.status == "done"
    assert [s["code"] for s in scenario.result["schools"]] == ["AS"]
    # a school or a teacher of another district is no part of the plan
    with pytest.raises(ValidationError, match="每校限额中的学校代码不在本方案的学校中：BS"):
        scenario_create(
            actor=admin_a,
            name="乙",
            year=YEAR,
            inputs={**DEFAULTS, "limits": {"BS": {"area": 1, "posts": 1}}},
        )
    with pytest.raises(ValidationError, match="学校代码“BS”没有名为“王老师”的专任教师"):
        scenario_create(
            actor=admin_a,
            name="丙",
            year=YEAR,
            inputs={**DEFAULTS, "movers_source": "list", "movers": [["王老师", "BS", None]]},
        )
    assert Scenario.objects.count() == 1


def test_a_district_bureau_plans_its_own_district_only(
    client, district_a, district_b, schools, admin_a, admin_b
):
    theirs = scenario_solve(
        scenario_id=scenario_create(actor=admin_b, name="乙区方案", year=YEAR, inputs=DEFAULTS).pk
    )
    assert theirs.unit == district_b
    client.force_login(admin_a)
    form = client.get(reverse("planning:scenario_create"))
    assert form.status_code == 200 and 'name="unit"' not in form.content.decode()
    # a district asked for in the form is not taken: the bureau's own district is
    ours = _solved(client, name="甲区方案", unit="B")
    assert ours.unit == district_a and [s["code"] for s in ours.result["schools"]] == ["AS"]
    assert AuditEvent.objects.filter(object_id=str(ours.pk)).count() == 2  # created, queued
    listed = client.get(reverse("planning:scenario_list"))
    assert list(listed.context["scenarios"]) == [ours]
    assert "乙区方案" not in listed.content.decode()
    assert ("达标最低成本方案", reverse("planning:scenario_list")) in listed.context["nav_items"]
    # another district's scenario does not exist for this bureau: not read, not written
    for name in ("scenario_detail", "scenario_edit", "scenario_export"):
        assert client.get(reverse(f"planning:{name}", args=[theirs.pk])).status_code == 404
    compare = {"a": ours.pk, "b": theirs.pk}
    assert client.get(reverse("planning:scenario_compare"), compare).status_code == 404
    edit = reverse("planning:scenario_edit", args=[theirs.pk])
    assert client.post(edit, _post(name="改名")).status_code == 404
    assert client.post(reverse("planning:scenario_run", args=[theirs.pk])).status_code == 404
    with pytest.raises(Http404):
        scenario_create(actor=admin_a, unit=district_b, name="越界", year=YEAR, inputs=DEFAULTS)
    theirs.refresh_from_db()
    assert (theirs.name, theirs.status) == ("乙区方案", "done")
    assert not AuditEvent.objects.filter(object_id=str(theirs.pk), actor=admin_a).exists()
    assert Scenario.objects.count() == 2


def test_the_city_bureau_plans_each_district_choosing_which(
    client, district_a, district_b, schools, city_admin
):
    client.force_login(city_admin)
    form = client.get(reverse("planning:scenario_create")).content.decode()
    assert '<option value="A">A区</option>' in form and '<option value="B">B区</option>' in form
    # the district must be chosen: none is taken for the city
    response = client.post(reverse("planning:scenario_create"), _post())
    assert response.status_code == 400 and not Scenario.objects.exists()
    for_b = _solved(client, name="乙区方案", unit="B")
    for_a = _solved(client, name="甲区方案", unit="A")
    assert (for_a.unit, for_b.unit) == (district_a, district_b)
    assert [s["code"] for s in for_b.result["schools"]] == ["BS"]
    assert [s["code"] for s in for_a.result["schools"]] == ["AS"]
    listed = client.get(reverse("planning:scenario_list"))
    assert list(listed.context["scenarios"]) == [for_a, for_b]
    assert "<td>B区</td>" in listed.content.decode()
    for scenario in (for_a, for_b):
        detail = client.get(reverse("planning:scenario_detail", args=[scenario.pk]))
        assert detail.status_code == 200
        assert list(detail.context["others"]) == []  # compared within its district
        export = client.get(reverse("planning:scenario_export", args=[scenario.pk]))
        assert export.status_code == 200


def test_scenarios_are_compared_within_a_district_only(
    client, district_a, district_b, schools, admin_a, admin_b, city_admin
):
    def solved(actor, name):
        created = scenario_create(actor=actor, name=name, year=YEAR, inputs=DEFAULTS)
        return scenario_solve(scenario_id=created.pk)

    first, second = solved(admin_a, "甲区一"), solved(admin_a, "甲区二")
    theirs = solved(admin_b, "乙区方案")
    compare = reverse("planning:scenario_compare")
    client.force_login(city_admin)
    # two of one district are compared
    page = client.get(compare, {"a": first.pk, "b": second.pk})
    assert page.status_code == 200
    assert [s.name for s in page.context["pair"]] == ["甲区一", "甲区二"]
    # two districts' are refused, saying why, either way round
    for pair in ((first, theirs), (theirs, second)):
        response = client.get(compare, {"a": pair[0].pk, "b": pair[1].pk})
        assert response.status_code == 302 and response.url == reverse("planning:scenario_list")
        text = client.get(response.url).content.decode()
        assert "只能比较同一区县的方案" in text and "两区县的学校不同" in text
        assert f"“{theirs.name}”是B区的方案" in text
    # the list offers a comparison within each district having two scenarios, never across
    listed = client.get(reverse("planning:scenario_list"))
    assert listed.context["comparable"] == [(district_a, [second, first])]
    text = listed.content.decode()
    assert text.count(f'action="{compare}"') == 1
    assert f'<option value="{theirs.pk}"' not in text
    assert "只能比较同一区县的方案" in text
    # for a district's bureau the other district's scenario does not exist: a 404, not the refusal
    client.force_login(admin_a)
    for pair in ((first, theirs), (theirs, first)):
        assert client.get(compare, {"a": pair[0].pk, "b": pair[1].pk}).status_code == 404
    listed = client.get(reverse("planning:scenario_list")).content.decode()
    assert "只能比较同一区县的方案" not in listed  # one district: nothing to warn of


@pytest.mark.parametrize("role", [Role.DISTRICT_LEADER, Role.TOWN_OFFICER])
def test_other_roles_of_a_district_see_no_scenario(client, district_a, schools, admin_a, role):
    scenario = scenario_create(actor=admin_a, name="甲", year=YEAR, inputs=DEFAULTS)
    where = district_a if role == Role.DISTRICT_LEADER else district_a.children.get()
    client.force_login(_user("other", role, where))
    assert client.get(reverse("planning:scenario_list")).status_code == 404
    detail = reverse("planning:scenario_detail", args=[scenario.pk])
    assert client.get(detail).status_code == 404


def _told(client, url, data) -> list[str]:
    """The messages the page a post redirects to shows."""
    response = client.post(url, data, follow=True)
    assert response.redirect_chain and response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def _years_at(at, *, name, subject=Subject.CHINESE):
    """A teacher at `at` every year 2018–2024: seven years, due to rotate."""
    person = staff(name=name)
    for year in range(2018, YEAR + 1):
        post(person, at, year=year, subject=subject)
    return person


def test_rotation_is_reckoned_and_decided_within_a_district(
    client, district_a, district_b, schools, admin_a, admin_b, city_admin
):
    ours = _years_at(schools["A"], name="甲老师")
    theirs = _years_at(schools["B"], name="乙老师")
    assert [e[0].person_name for e in suggest(YEAR, RULES, district_a)["eligible"]] == ["甲老师"]
    assert [e[0].person_name for e in suggest(YEAR, RULES, district_b)["eligible"]] == ["乙老师"]
    # the schools a district's least-cost plan needs teachers at are its own plan's
    Scenario.objects.create(
        unit=district_b,
        name="乙",
        year=YEAR,
        status="done",
        result={"schools": [{"unit": schools["B"].pk, "adds": {"r2": 1}}]},
        created_by=admin_b,
    )
    assert needing_schools(YEAR, district_a) == {"r2": [], "r3": []}
    assert needing_schools(YEAR, district_b) == {"r2": [schools["B"].pk], "r3": []}
    client.force_login(admin_a)
    # another district's page is not found, as on the forecast pages: never the bureau's own
    # district shown in its place
    assert client.get(reverse("planning:rotation"), {"year": YEAR, "unit": "B"}).status_code == 404
    page = client.get(reverse("planning:rotation"), {"year": YEAR})
    text = page.content.decode()
    assert "甲老师" in text and "乙老师" not in text and 'name="unit"' not in text
    assert ("走教与交流轮岗", reverse("planning:travel_list")) in page.context["nav_items"]
    # another district's teacher does not exist for this bureau, as one never registered does
    # not: a 404 either way, whatever is decided
    decide = reverse("planning:rotation_decide")
    unknown = StaffPerson.objects.order_by("pk").last().pk + 1
    for person in (theirs.pk, unknown):
        for decision in ({"decision": "defer"}, {"decision": "rotate", "to_school": "AS"}):
            data = {"year": YEAR, "person": person, **decision}
            assert client.post(decide, data).status_code == 404
        with pytest.raises(Http404):
            rotation_decide(
                actor=admin_a, year=YEAR, person_id=person, decision="defer", to_school_id=None
            )
    # its own teacher with no post of the year asked is told so
    data = {"year": YEAR + 1, "person": ours.pk, "decision": "defer"}
    assert _told(client, decide, data) == [f"{YEAR + 1} 学年没有该教师的任职记录。"]
    # nor is another district's school a target, nor told apart from a code no school has
    told = [
        _told(client, decide, {**data, "year": YEAR, "decision": "rotate", "to_school": c})
        for c in ("BS", "XX")
    ]
    assert told == [
        ["学校代码“BS”不存在。"],
        ["学校代码“XX”不存在。"],
    ]
    with pytest.raises(ValidationError, match="同意轮岗须选择一所其他学校作为轮岗学校"):
        rotation_decide(
            actor=admin_a,
            year=YEAR,
            person_id=ours.pk,
            decision="rotate",
            to_school_id=schools["B"].pk,
        )
    assert not RotationDecision.objects.exists()
    client.force_login(city_admin)
    # the city's bureau reaches both districts' schools, but a teacher rotates within its own
    data = {"year": YEAR, "person": ours.pk, "decision": "rotate", "to_school": "BS"}
    assert _told(client, decide, data) == ["轮岗学校须为A区的学校。"]
    text = client.get(reverse("planning:rotation"), {"year": YEAR, "unit": "B"}).content.decode()
    assert "乙老师" in text and "甲老师" not in text
    assert '<option value="B" selected>B区</option>' in text
    client.post(decide, {"year": YEAR, "person": theirs.pk, "decision": "defer"})
    assert RotationDecision.objects.get().from_school == schools["B"]


def test_a_teacher_posted_in_two_districts_has_each_districts_decision(schools, admin_a, admin_b):
    both = _years_at(schools["A"], name="丙老师")
    post(both, schools["B"], year=YEAR, subject=Subject.PE)
    rotation_decide(
        actor=admin_a, year=YEAR, person_id=both.pk, decision="defer", to_school_id=None
    )
    rotation_decide(
        actor=admin_b, year=YEAR, person_id=both.pk, decision="decline", to_school_id=None
    )
    decided = RotationDecision.objects.order_by("from_school__org_unit__code")
    # B's bureau decided on the post it holds, and left A's decision as A's bureau made it
    assert [(d.from_school, d.decision, d.decided_by) for d in decided] == [
        (schools["A"], "defer", admin_a),
        (schools["B"], "decline", admin_b),
    ]
    rotation_decide(
        actor=admin_b, year=YEAR, person_id=both.pk, decision="defer", to_school_id=None
    )
    assert RotationDecision.objects.count() == 2


def client_as(client, user):
    client.force_login(user)
    return client


def test_a_teacher_of_two_schools_in_a_district_has_one_decision_a_year(
    client, district_a, schools, admin_a
):
    # given a teacher due to rotate from A's school who also holds a post at a second school
    # of district A this year, and the bureau's decision on the first post
    second = school(district_a.children.get(), "AS2")
    both = _years_at(schools["A"], name="丁老师")
    post(both, second, year=YEAR, subject=Subject.PE)
    decide = reverse("planning:rotation_decide")
    data = {"year": YEAR, "person": both.pk, "decision": "defer", "from_school": schools["A"].pk}
    assert _told(client_as(client, admin_a), decide, data) == [
        "已记录交流轮岗决定（不改动教师任职登记）。"
    ]
    # when a decision is sent on the second post (it made a second row: the teacher counted
    # twice among the year's decisions)
    told = _told(client, decide, {**data, "decision": "decline", "from_school": second.pk})
    # then it is refused, naming the decision on file
    assert told == [
        f"丁老师 {YEAR} 学年已有交流轮岗决定（现任职学校：AS），一名教师一学年只作一个决定；"
        "如需更改，请修改该决定。"
    ]
    with pytest.raises(ValidationError, match="一名教师一学年只作一个决定"):
        rotation_decide(
            actor=admin_a,
            year=YEAR,
            person_id=both.pk,
            decision="rotate",
            to_school_id=schools["A"].pk,
            from_school_id=second.pk,
        )
    # the decision on file is changed as before, and with no school named it is the one
    rotation_decide(
        actor=admin_a, year=YEAR, person_id=both.pk, decision="decline", to_school_id=None
    )
    decided = RotationDecision.objects.get()
    assert (decided.from_school, decided.decision) == (schools["A"], "decline")
    summaries = AuditEvent.objects.filter(summary__startswith="交流轮岗决定").order_by("pk")
    assert [(e.action, e.summary) for e in summaries] == [
        ("create", "交流轮岗决定：丁老师，暂缓"),
        ("update", "交流轮岗决定：丁老师，不轮岗"),
    ]


def test_the_page_shows_a_teachers_decision_made_on_the_other_post(
    client, district_a, schools, admin_a
):
    # given a teacher due to rotate from A's school (the row shows that post), with a post
    # at a second school of A this year on which the decision was made
    second = school(district_a.children.get(), "AS2")
    both = _years_at(schools["A"], name="丁老师")
    post(both, second, year=YEAR, subject=Subject.PE)
    rotation_decide(
        actor=admin_a,
        year=YEAR,
        person_id=both.pk,
        decision="defer",
        to_school_id=None,
        from_school_id=second.pk,
    )
    # then the teacher's row shows it (it showed none, and its form named the row's school,
    # so recording a change from the row was refused)
    page = client_as(client, admin_a).get(reverse("planning:rotation"), {"year": YEAR})
    [row] = page.context["result"]["rows"]
    assert (row["post"].school, row["decision"]) == (schools["A"], RotationDecision.objects.get())
    text = page.content.decode()
    assert f'name="from_school" value="{second.pk}"' in text
    assert "已记录：暂缓（AS2的任职）" in text
    data = {"year": YEAR, "person": both.pk, "decision": "decline", "from_school": second.pk}
    assert _told(client, reverse("planning:rotation_decide"), data) == [
        "已记录交流轮岗决定（不改动教师任职登记）。"
    ]
    assert RotationDecision.objects.get().decision == "decline"


def test_two_decisions_stored_before_the_one_decision_rule_can_each_be_changed(
    district_a, schools, admin_a
):
    # given a teacher of two schools of A with a decision on each post, stored before a
    # second decision was refused
    second = school(district_a.children.get(), "AS2")
    both = _years_at(schools["A"], name="丁老师")
    post(both, second, year=YEAR, subject=Subject.PE)
    for at in (schools["A"], second):
        RotationDecision.objects.create(
            year=YEAR, person=both, from_school=at, decision="defer", decided_by=admin_a
        )
    # then either is changed (both were refused, each naming the other)
    for at in (schools["A"], second):
        rotation_decide(
            actor=admin_a,
            year=YEAR,
            person_id=both.pk,
            decision="decline",
            to_school_id=None,
            from_school_id=at.pk,
        )
    assert set(RotationDecision.objects.values_list("decision", flat=True)) == {"decline"}


def test_a_decision_sent_twice_is_recorded_and_audited_once(client, schools, admin_b):
    teacher = StaffPerson.objects.get(name="王老师")
    data = {"year": YEAR, "person": teacher.pk, "decision": "defer", "note": "明年再议"}
    client_as(client, admin_b)
    for _ in range(2):  # a double click
        assert _told(client, reverse("planning:rotation_decide"), data) == [
            "已记录交流轮岗决定（不改动教师任职登记）。"
        ]
    assert RotationDecision.objects.get().note == "明年再议"
    assert AuditEvent.objects.filter(summary__startswith="交流轮岗决定").count() == 1


def test_travel_scenarios_are_of_a_districts_areas(
    client, district_a, district_b, schools, admin_a, admin_b
):
    town_a, town_b = district_a.children.get(), district_b.children.get()
    theirs = travel_create(
        actor=admin_b, name="乙镇走教", year=YEAR, area=f"t{town_b.pk}", inputs={}
    )
    with pytest.raises(ValidationError, match="请选择一个学区或镇街"):
        travel_create(actor=admin_a, name="越界", year=YEAR, area=f"t{town_b.pk}", inputs={})
    client.force_login(admin_a)
    form = client.get(reverse("planning:travel_create")).context["form"]
    assert form.fields["area"].choices == [(f"t{town_a.pk}", "A镇")]
    locations = client.get(reverse("planning:locations")).context
    assert (locations["areas"], [s.org_unit.code for s, _ in locations["rows"]]) == (
        [(f"t{town_a.pk}", "A镇")],
        ["AS"],
    )
    assert list(client.get(reverse("planning:travel_list")).context["scenarios"]) == []
    for name in ("travel_detail", "travel_export"):
        assert client.get(reverse(f"planning:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("planning:travel_lock", args=[theirs.pk])).status_code == 404
    with pytest.raises(Http404):
        travel_lock(actor=admin_a, scenario=theirs, locks=[])
    assert TravelScenario.objects.get() == theirs
    client.force_login(admin_b)
    assert list(client.get(reverse("planning:travel_list")).context["scenarios"]) == [theirs]
    assert client.get(reverse("planning:travel_detail", args=[theirs.pk])).status_code == 200


def test_the_citys_decision_from_a_districts_page_is_on_that_districts_post(
    client, schools, city_admin
):
    # a teacher posted in both districts, A's posts the older ones
    both = _years_at(schools["A"], name="丙老师")
    post(both, schools["B"], year=YEAR, subject=Subject.PE)
    client.force_login(city_admin)
    data = {"year": YEAR, "person": both.pk, "decision": "decline", "from_school": schools["B"].pk}
    client.post(reverse("planning:rotation_decide"), data)
    decided = RotationDecision.objects.get()
    assert (decided.from_school, decided.decision) == (schools["B"], "decline")
