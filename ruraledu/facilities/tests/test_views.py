from django.urls import reverse

from ruraledu.core.models import SchoolYear
from ruraledu.facilities.models import FacilityRecord


def test_facility_page_and_edit(client, school_clerk, district_leader, school_a, school_b):
    detail = reverse("facilities:facility_detail", args=["SA"]) + "?year=2024"
    edit = reverse("facilities:facility_edit", args=["SA"]) + "?year=2024"
    client.force_login(district_leader)
    assert "本学年尚未填报办学条件" in client.get(detail).content.decode()
    assert client.post(edit, {"classrooms": 5}).status_code == 404  # read-only role
    assert not FacilityRecord.objects.exists()
    client.force_login(school_clerk)
    assert client.get(reverse("facilities:facility_detail", args=["SB"])).status_code == 404
    fields = {"classrooms": 10, "classrooms_lighting_ok": 11, "meal_service": "none"}
    invalid = client.post(
        edit,
        {
            **{
                f.name: 0
                for f in FacilityRecord._meta.fields
                if f.get_internal_type() in ("DecimalField", "PositiveIntegerField")
            },
            **fields,
        },
    )
    assert "不能超过教室间数" in invalid.content.decode()
    fields["classrooms_lighting_ok"] = 9
    saved = client.post(
        edit,
        {
            **{
                f.name: 0
                for f in FacilityRecord._meta.fields
                if f.get_internal_type() in ("DecimalField", "PositiveIntegerField")
            },
            **fields,
            "water_passed": "on",
        },
    )
    assert saved.status_code == 302
    record = FacilityRecord.objects.get(school=school_a, year=2024)
    assert (record.classrooms, record.classrooms_lighting_ok, record.water_passed) == (10, 9, True)
    # and the change is in the audit trail, with who and what
    from ruraledu.audit.models import AuditEvent

    event = AuditEvent.objects.get(object_id=str(record.pk), content_type__model="facilityrecord")
    assert (event.actor, event.action, event.after["classrooms"]) == (school_clerk, "create", 10)


def test_only_the_bureau_starts_a_school_year(client, district_admin, district_leader, school_a):
    SchoolYear.objects.create(year=2024, is_current=True)
    FacilityRecord.objects.create(school=school_a, year=2024, classrooms=3)
    url = reverse("schoolyears:schoolyear_list")
    client.force_login(district_leader)
    assert client.post(url, {"year": 2025}).status_code == 403
    assert not FacilityRecord.objects.filter(year=2025).exists()
    client.force_login(district_admin)
    assert "开始2025—2026学年" in client.get(url).content.decode()
    # the first step says what will happen and changes nothing
    preview = client.post(url, {"year": 2025}).content.decode()
    assert "确认开始2025—2026学年" in preview and "办学条件：1 条" in preview
    assert not FacilityRecord.objects.filter(year=2025).exists()
    response = client.post(url, {"year": 2025, "confirmed": "yes"}, follow=True)
    assert "已开始2025—2026学年" in response.content.decode()
    assert FacilityRecord.objects.get(year=2025).classrooms == 3
    assert SchoolYear.objects.get(is_current=True).year == 2025
