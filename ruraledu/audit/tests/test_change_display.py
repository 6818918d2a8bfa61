"""The trail reads a record's stored values as people do: users by name, times in local time,
a scenario's inputs by the planning app's names; the stored rows stay as written."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from ruraledu.audit.models import AuditEvent
from ruraledu.planning.inputs import DEFAULTS
from ruraledu.planning.models import Scenario
from ruraledu.planning.services import scenario_create
from ruraledu.students.models import Enrolment
from ruraledu.workforce.models import StaffPerson


def test_a_new_scenario_reads_in_chinese(client, district_admin):
    # given the bureau creates a 达标最低成本方案
    district_admin.full_name = "王局长"
    district_admin.save(update_fields=["full_name"])
    scenario = scenario_create(actor=district_admin, name="测试方案", year=2025, inputs=DEFAULTS)
    event = AuditEvent.objects.get(object_id=str(scenario.pk), action="create")
    # then the stored row keeps the raw values
    assert event.after["created_by"] == district_admin.pk
    assert event.after["created_at"].endswith("+00:00")
    # and the trail shows the user, the local time and the inputs by name
    shown = {label: after for label, _, after in event.changes}
    assert shown["创建人"] == "王局长"
    assert shown["创建时间"] == f"{timezone.localtime(scenario.created_at):%Y-%m-%d %H:%M:%S}"
    inputs = shown["输入"]
    assert inputs.startswith("分年实施年数：1；在校生口径：目标学年的在校生（学籍）；")
    assert "教师调动来源：不调动教师" in inputs
    assert "单位费用：高于规定学历教师（每名每年，元） 120000、" in inputs
    assert "预算（元）：不限" in inputs
    for key in ("years", "enrolment", "movers_source", "costs", "r1"):
        assert key not in inputs
    # on the record's page too
    client.force_login(district_admin)
    url = reverse("audit:record_history", args=["planning", "scenario", scenario.pk])
    page = client.get(url).content.decode()
    assert "创建人</span>：（空） → 王局长" in page
    assert "movers_source" not in page and "+00:00" not in page


def test_an_unknown_user_and_a_bad_time_show_as_stored(district, district_admin):
    scenario = Scenario.objects.create(
        unit=district, name="旧方案", year=2025, inputs={}, created_by=district_admin
    )
    event = AuditEvent(
        content_type=ContentType.objects.get_for_model(Scenario),
        object_id=str(scenario.pk),
        before={"created_by": 987654, "created_at": "not a time"},
        after={"created_by": district_admin.pk, "created_at": "2026-12-06"},
    )
    shown = {label: (before, after) for label, before, after in event.changes}
    assert shown["创建人"] == (987654, str(district_admin))
    assert shown["创建时间"] == ("not a time", "2026-12-06 00:00:00")


def test_a_mentor_reads_by_name_and_masked_id_number(db):
    # given an enrolment's 成长导师 set, as the trail stores it (the staff id)
    mentor = StaffPerson(name="李导师", sex="2")
    mentor.set_id_number("370302198001011236")
    mentor.save()
    event = AuditEvent(
        content_type=ContentType.objects.get_for_model(Enrolment),
        object_id="1",
        before={"mentor": None},
        after={"mentor": mentor.pk},
    )
    # then the trail names the teacher, with the ID number masked
    assert event.changes == [("成长导师", None, "李导师（3703**********1236）")]
