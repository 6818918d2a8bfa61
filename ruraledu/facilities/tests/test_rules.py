"""One set of cross-field rules for 办学条件, whichever way the record comes in: the page form,
the model (and so the page's service) and the importer refuse the same records."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ruraledu.facilities.models import FacilityRecord
from ruraledu.facilities.services import facility_record_save
from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import rows

NUMBERS = {
    f.name: 0
    for f in FacilityRecord._meta.fields
    if f.get_internal_type() in ("DecimalField", "PositiveIntegerField")
}


def test_the_page_refuses_what_the_importer_refuses(client, school_clerk, school_a):
    # a non-boarding school marked 寄宿条件达标: once only the importer caught it
    bad = {"boarding_condition_ok": True, "teacher_dorm_needed": 1, "teacher_dorm_provided": 2}
    errors = get_importer("facilities").validate(
        rows({"school": "SA", **bad}), year=2024, user=school_clerk
    )
    assert {e.message for e in errors} == {
        "非寄宿制学校不应填写寄宿条件达标",
        "不能超过需周转宿舍教师数",
    }
    client.force_login(school_clerk)
    edit = reverse("facilities:facility_edit", args=["SA"]) + "?year=2024"
    page = client.post(
        edit, {**NUMBERS, "meal_service": "none", "boarding_condition_ok": "on", **bad}
    ).content.decode()
    assert "非寄宿制学校不应填写寄宿条件达标" in page and "不能超过需周转宿舍教师数" in page
    assert not FacilityRecord.objects.exists()


def test_the_service_checks_scope_and_the_rules(school_clerk, school_a, school_b):
    with pytest.raises(PermissionDenied):
        facility_record_save(
            school=school_b, year=2024, values={"classrooms": 3}, actor=school_clerk
        )
    with pytest.raises(ValidationError) as refused:
        facility_record_save(
            school=school_a,
            year=2024,
            values={"classrooms": 3, "classrooms_lighting_ok": 4},
            actor=school_clerk,
        )
    assert refused.value.message_dict["classrooms_lighting_ok"] == ["不能超过教室间数。"]
    assert not FacilityRecord.objects.exists()
    record = facility_record_save(
        school=school_a, year=2024, values={"classrooms": 3}, actor=school_clerk
    )
    assert FacilityRecord.objects.get().classrooms == 3 == record.classrooms
