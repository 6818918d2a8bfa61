"""On an install serving many districts each district's bureau sets its own standard values
(page or plan file); the value that applies at a unit is its nearest own value, else the
install's; nobody sets another district's values."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.models import RecomputeJob, Standard
from ruraledu.indicators.standards import reset_cache, standard
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory
from ruraledu.plans.loader import PlanFileError, load_plan

LIST = reverse("indicators:standard_list")
EDIT = reverse("indicators:standard_edit", args=["small_school_size", "all"])


@pytest.fixture
def city(db):
    city = OrgUnitFactory(code="C", name="示例市", kind=OrgUnitKind.CITY, parent=None)
    for code in ("A", "B"):
        district = OrgUnitFactory(
            code=code, name=f"{code}区", kind=OrgUnitKind.DISTRICT, parent=city
        )
        OrgUnitFactory(
            code=f"{code}S", name=f"{code}小学", kind=OrgUnitKind.SCHOOL, parent=district
        )
    return city


def _admin(name, unit):
    user = UserFactory(username=name)
    RoleAssignmentFactory(user=user, role=Role.DISTRICT_ADMIN, org_unit=unit)
    return user


def _own(unit, code="small_school_size", value=80.0):
    return Standard.objects.create(
        code=code, stage="", unit=unit, value=value, name="小规模学校", source="区文件"
    )


def _at(code: str) -> int:
    from ruraledu.orgunits.models import OrgUnit

    return OrgUnit.objects.get(code=code).pk


def test_the_nearest_own_value_applies_below_it(city):
    a, b = city.children.order_by("code")
    _own(a, value=80)
    reset_cache()
    assert standard("small_school_size", "", _at("AS"))[0] == 80  # A's school: A's value
    assert standard("small_school_size", "", _at("A"))[0] == 80
    assert standard("small_school_size", "", _at("BS"))[0] == 100  # B: the install's
    assert standard("small_school_size")[0] == 100  # no unit: the install's
    _own(city, value=120)
    reset_cache()
    assert standard("small_school_size", "", _at("BS"))[0] == 120  # the city's, above B
    assert standard("small_school_size", "", _at("AS"))[0] == 80  # A's own is nearer


def test_a_district_bureau_sets_its_own_value_audited_and_recomputed(client, city):
    a, b = city.children.order_by("code")
    admin = _admin("a_admin", a)
    client.force_login(admin)
    page = client.get(LIST).content.decode()
    assert "A区" in page and "沿用全平台" in page  # nothing set by A yet
    response = client.post(EDIT, {"value": "60", "source": "A区教体局文件", "year": "2026"})
    assert response.status_code == 302 and response.url == f"{LIST}?unit={a.pk}"
    own = Standard.objects.get(code="small_school_size", unit=a)
    assert (
        own.value == 60 and Standard.objects.get(code="small_school_size", unit=None).value == 100
    )
    event = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Standard), object_id=str(own.pk)
    )
    assert (event.action, event.after["value"], event.actor) == ("create", 60.0, admin)
    assert RecomputeJob.objects.filter(reason__contains="A区").exists()
    reset_cache()
    assert standard("small_school_size", "", _at("AS"))[0] == 60
    assert standard("small_school_size", "", _at("BS"))[0] == 100
    # back to the value above: the own value goes, audited
    client.post(f"{EDIT}?unit={a.pk}", {"clear": "1", "unit": a.pk})
    assert not Standard.objects.filter(unit=a).exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(own.pk)).exists()
    # cleared again (a second click after the first was done): told so, not a 404
    again = client.post(f"{EDIT}?unit={a.pk}", {"clear": "1", "unit": a.pk}, follow=True)
    assert again.status_code == 200
    assert "本单位没有自定这项标准，使用的是上级标准值。" in again.content.decode()
    assert AuditEvent.objects.filter(action="delete", object_id=str(own.pk)).count() == 1


def test_a_clear_sent_twice_at_once_clears_and_audits_once(city, monkeypatch):
    from ruraledu.indicators import standards_edit

    a, b = city.children.order_by("code")
    admin = _admin("a_admin", a)
    own = _own(a)
    # given two clears that both read A's own value before either removed it
    stale = standards_edit.standard_row("small_school_size", "", a)
    standards_edit.standard_clear(actor=admin, code="small_school_size", stage="", unit=a)
    monkeypatch.setattr(standards_edit, "standard_row", lambda code, stage, unit: stale)
    jobs = RecomputeJob.objects.count()
    # when the second goes on with its stale read
    standards_edit.standard_clear(actor=admin, code="small_school_size", stage="", unit=a)
    # then it finds nothing to clear: the clear is audited once (it was twice), no new recompute
    assert not Standard.objects.filter(unit=a).exists()
    assert RecomputeJob.objects.count() == jobs
    kind = ContentType.objects.get_for_model(Standard)
    events = AuditEvent.objects.for_record(content_type=kind, object_id=own.pk)
    assert list(events.values_list("action", flat=True)) == ["delete"]


def test_two_edits_at_once_the_second_records_what_it_replaced(city, monkeypatch):
    from ruraledu.indicators import standards_edit

    a, _ = city.children.order_by("code")
    first, second = _admin("a_admin", a), _admin("a_clerk", a)
    own = _own(a)  # 80
    ask = {"code": "small_school_size", "stage": "", "source": "A区文件", "year": 2026}
    # given two users who both read A's value as 80
    stale = standards_edit.standard_row("small_school_size", "", a)
    standards_edit.standard_set(actor=first, value=60, provisional=False, unit=a, **ask)
    monkeypatch.setattr(standards_edit, "standard_row", lambda code, stage, unit: stale)
    # when the second saves 70
    standards_edit.standard_set(actor=second, value=70, provisional=False, unit=a, **ask)
    # then its audit row says it replaced 60 (the first's), not 80
    kind = ContentType.objects.get_for_model(Standard)
    last = AuditEvent.objects.for_record(content_type=kind, object_id=own.pk).latest("pk")
    assert (last.before["value"], last.after["value"]) == (60.0, 70.0)


def test_an_edit_of_a_value_cleared_meanwhile_creates_it_anew(city, monkeypatch):
    from ruraledu.indicators import standards_edit

    a, _ = city.children.order_by("code")
    admin = _admin("a_admin", a)
    own = _own(a)
    ask = {"code": "small_school_size", "stage": "", "source": "A区文件", "year": 2026}
    # given an edit page read before another user cleared A's value
    stale = standards_edit.standard_row("small_school_size", "", a)
    standards_edit.standard_clear(actor=admin, code="small_school_size", stage="", unit=a)
    monkeypatch.setattr(standards_edit, "standard_row", lambda code, stage, unit: stale)
    # when the edit is saved
    saved = standards_edit.standard_set(actor=admin, value=70, provisional=False, unit=a, **ask)
    # then the value is a new record, audited as created (it came back under the old id,
    # audited as an update of a deleted record)
    assert saved.pk != own.pk and Standard.objects.get(unit=a).value == 70
    kind = ContentType.objects.get_for_model(Standard)
    created = AuditEvent.objects.for_record(content_type=kind, object_id=saved.pk).get()
    assert created.action == "create"


def test_a_units_first_value_set_twice_at_once_the_second_is_told_in_chinese(city, monkeypatch):
    from django.core.exceptions import ValidationError

    from ruraledu.indicators import standards_edit

    a, b = city.children.order_by("code")
    first, second = _admin("a_admin", a), _admin("a_clerk", a)
    ask = {"code": "small_school_size", "stage": "", "source": "A区文件", "year": 2026}
    # given two bureau users who both read that A has no value of its own
    stale = standards_edit.standard_row("small_school_size", "", a)
    standards_edit.standard_set(actor=first, value=60, provisional=False, unit=a, **ask)
    monkeypatch.setattr(standards_edit, "standard_row", lambda code, stage, unit: stale)
    # when the second saves: the model's check names the rule in Chinese (it named
    # standard_unit_unique)
    with pytest.raises(ValidationError) as refused:
        standards_edit.standard_set(actor=second, value=70, provisional=False, unit=a, **ask)
    assert refused.value.messages == [
        "这项标准值刚由他人设定，本次修改未保存。请刷新页面查看后再修改。"
    ]
    # and so does the database's unique index when both pass the check (was a server error)
    monkeypatch.setattr(Standard, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as refused:
        standards_edit.standard_set(actor=second, value=70, provisional=False, unit=a, **ask)
    assert refused.value.messages == [
        "这项标准值刚由他人设定，本次修改未保存。请刷新页面查看后再修改。"
    ]
    own = Standard.objects.get(code="small_school_size", unit=a)
    assert own.value == 60
    kind = ContentType.objects.get_for_model(Standard)
    events = AuditEvent.objects.for_record(content_type=kind, object_id=own.pk)
    assert list(events.values_list("actor__username", flat=True)) == ["a_admin"]


def test_nobody_sets_another_districts_values(client, city):
    a, b = city.children.order_by("code")
    client.force_login(_admin("b_admin", b))
    # asking for A's values falls back to B's own place
    client.post(f"{EDIT}?unit={a.pk}", {"value": "10", "source": "x", "year": ""})
    assert not Standard.objects.filter(unit=a).exists()
    assert Standard.objects.get(code="small_school_size", unit=b).value == 10
    # a district bureau never edits the install's value; a school clerk edits nothing
    assert Standard.objects.get(code="small_school_size", unit=None).value == 100
    clerk = UserFactory(username="clerk")
    RoleAssignmentFactory(user=clerk, role=Role.SCHOOL_CLERK, org_unit=a.children.get(code="AS"))
    client.force_login(clerk)
    assert client.get(EDIT).status_code == 404
    client.post(f"{EDIT}?unit={a.pk}", {"value": "1", "source": "x"})
    assert not Standard.objects.filter(unit=a).exists()


def test_the_city_bureau_sets_the_install_value_and_sees_the_districts_own(client, city):
    a, _ = city.children.order_by("code")
    _own(a, value=80)
    client.force_login(_admin("c_admin", city))
    page = client.get(LIST).content.decode()
    assert "区县自定" in page and "A区 80.0" in page
    client.post(EDIT, {"value": "90", "source": "市文件", "year": ""})
    assert Standard.objects.get(code="small_school_size", unit=None).value == 90
    assert Standard.objects.get(code="small_school_size", unit=a).value == 80


PLAN = """\
plan:
  code: a-plan
  title: A区方案
  start_year: 2023
  end_year: 2025
sections:
- number: 1
  kind: action
  title: 行动一
  text: 正文
standards:
- code: small_school_size
  value: 60
  source: A区文件
"""


def test_a_plan_file_sets_its_units_values_once(city, tmp_path):
    a, _ = city.children.order_by("code")
    path = tmp_path / "a.yaml"
    path.write_text(PLAN, encoding="utf-8")
    assert load_plan(path, a).created.get("标准值") == 1
    assert Standard.objects.get(code="small_school_size", unit=a).value == 60
    assert load_plan(path, a).changed == 0  # again: nothing
    # the bureau's later edit stays when the file is loaded again
    Standard.objects.filter(unit=a).update(value=70)
    load_plan(path, a)
    assert Standard.objects.get(code="small_school_size", unit=a).value == 70


def test_a_plan_file_naming_an_unknown_standard_is_refused_with_its_line(city, tmp_path):
    a, _ = city.children.order_by("code")
    path = tmp_path / "a.yaml"
    path.write_text(PLAN.replace("small_school_size", "no_such"), encoding="utf-8")
    with pytest.raises(PlanFileError) as error:
        load_plan(path, a)
    assert "第 12 行，字段 standards.0.code：平台没有标准值“no_such”（通用）" in str(error.value)
    assert not Standard.objects.filter(unit=a).exists()


def test_one_who_sets_none_reads_their_own_districts_values_only(client, city):
    a, b = city.children.order_by("code")
    _own(a, value=80)
    for unit, role, seen in (
        (b.children.get(), Role.SCHOOL_CLERK, "100"),  # B's school: the install's value
        (b, Role.DISTRICT_LEADER, "100"),
        (a.children.get(), Role.SCHOOL_CLERK, "80"),  # A's school: A's own
    ):
        user = UserFactory(username=f"{unit.code}_{role}")
        RoleAssignmentFactory(user=user, role=role, org_unit=unit)
        client.force_login(user)
        page = client.get(LIST).content.decode()
        row = page[page.index("small_school_size") :][:600]
        assert f"<td>{seen}" in row, row
        # no other district's own values beside them
        assert "A区 80" not in page and "区县自定" not in page
    # the city's readers see every district's own values beside the install's
    leader = UserFactory(username="city_leader")
    RoleAssignmentFactory(user=leader, role=Role.DISTRICT_LEADER, org_unit=city)
    client.force_login(leader)
    assert "A区 80" in client.get(LIST).content.decode()
