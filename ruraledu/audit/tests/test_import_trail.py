"""Every record an import creates or changes is in the audit trail."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.audit.selectors import audit_record_history
from ruraledu.audit.services import id_ranges
from ruraledu.facilities import imports as _facilities  # noqa: F401
from ruraledu.facilities.models import FacilityRecord
from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import rows
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.students.tests.test_roster_file import pupil, roster
from ruraledu.students.tests.test_roster_file import run as import_roster


def events(model, action):
    kind = ContentType.objects.get_for_model(model)
    return list(AuditEvent.objects.filter(content_type=kind, action=action).order_by("pk"))


def test_id_ranges_fold_consecutive_ids():
    assert id_ranges([7, 3, 4, 5, 9, 10]) == [[3, 5], [7, 7], [9, 10]]
    assert id_ranges([]) == []


def test_a_facility_import_records_each_creation_and_each_change(district_admin, school_a):
    importer = get_importer("facilities")
    values = {"school": "SA", "teaching_area": Decimal("2400.5"), "classrooms": 12}
    importer.write(rows({**values, "classrooms_lighting_ok": 10}), year=2024, user=district_admin)
    record = FacilityRecord.objects.get()
    [created] = events(FacilityRecord, AuditAction.CREATE)
    assert created.object_id == str(record.pk)
    assert created.after["classrooms_lighting_ok"] == 10
    assert created.actor == district_admin
    importer.write(rows({**values, "classrooms_lighting_ok": 12}), year=2024, user=district_admin)
    [changed] = events(FacilityRecord, AuditAction.UPDATE)
    assert (changed.before, changed.after) == (
        {"classrooms_lighting_ok": 10},
        {"classrooms_lighting_ok": 12},
    )
    importer.write(rows({**values, "classrooms_lighting_ok": 12}), year=2024, user=district_admin)
    assert len(events(FacilityRecord, AuditAction.UPDATE)) == 1  # unchanged: nothing recorded


def test_a_roster_import_lists_its_new_records_and_records_each_change(district_admin, school_a):
    first, second = pupil(), pupil(姓名="李小红", 性别="女", 年级=5)
    import_roster(roster([first, second]), district_admin)
    summary = AuditEvent.objects.get(action=AuditAction.IMPORT)
    people = sorted(StudentPerson.objects.values_list("pk", flat=True))
    enrolments = sorted(Enrolment.objects.values_list("pk", flat=True))
    assert summary.after["created_records"] == {
        "students.StudentPerson": id_ranges(people),
        "students.Enrolment": id_ranges(enrolments),
    }
    # the history of a new record starts with the import that created it
    history = audit_record_history(
        user=district_admin, app_label="students", model="enrolment", object_id=str(enrolments[1])
    )
    assert [e.pk for e in history["events"]] == [summary.pk]
    # a corrected file: one name and one grade changed
    import_roster(roster([{**first, "姓名": "张晓明"}, {**second, "年级": 6}]), district_admin)
    [person_change] = events(StudentPerson, AuditAction.UPDATE)
    assert (person_change.before, person_change.after) == ({"name": "张小明"}, {"name": "张晓明"})
    [enrolment_change] = events(Enrolment, AuditAction.UPDATE)
    assert (enrolment_change.before, enrolment_change.after) == ({"grade": 5}, {"grade": 6})
    latest = AuditEvent.objects.filter(action=AuditAction.IMPORT).latest("pk")
    assert "created_records" not in latest.after  # nothing new the second time
    history = audit_record_history(
        user=district_admin,
        app_label="students",
        model="enrolment",
        object_id=str(enrolment_change.object_id),
    )
    assert [e.pk for e in history["events"]] == [summary.pk, enrolment_change.pk]


def test_a_school_list_import_records_new_units_and_renames(district_admin, town_a):
    from ruraledu.orgunits import imports as _schools  # noqa: F401
    from ruraledu.orgunits.models import OrgUnit, School

    importer = get_importer("schools")
    school = {
        "code": "SN",
        "name": "甲镇新建小学",
        "parent": "TA",
        "stage": "211",
        "ownership": "public",
        "urban_rural_code": "220",
        "education_group": "甲镇教育集团",
    }
    assert importer.validate(rows(school), year=2024, user=district_admin) == []
    importer.write(rows(school), year=2024, user=district_admin)
    unit = OrgUnit.objects.get(code="SN")
    [unit_created] = events(OrgUnit, AuditAction.CREATE)
    assert (unit_created.object_id, unit_created.after["name"]) == (str(unit.pk), "甲镇新建小学")
    assert len(events(School, AuditAction.CREATE)) == 1
    importer.write(rows({**school, "name": "甲镇实验小学"}), year=2024, user=district_admin)
    [renamed] = events(OrgUnit, AuditAction.UPDATE)
    assert (renamed.before, renamed.after) == ({"name": "甲镇新建小学"}, {"name": "甲镇实验小学"})


def test_created_id_ranges_read_as_runs_on_the_audit_pages():
    from ruraledu.audit.templatetags.audit_tags import audit_value

    assert audit_value([[3, 5], [7, 7]]) == "3–5、7"
    assert audit_value({"students.Enrolment": [[1, 100000]]}) == "students.Enrolment：1–100000"
    assert audit_value([1, 2]) == "1、2"  # plain ids stay a list
