"""The audit trail names pupils (an enrolment's label is 李嘉宁 2025 1年级) and keeps case
records' values: the bureau's pages showing such rows log a read of each child."""

import pytest
from django.urls import reverse

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.audit.child_events import _about
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.care.models import CaseContact, DropoutCase, Finding, GrowthReview, ListEntry
from ruraledu.core.models import PersonalDataAccess
from ruraledu.inclusion.models import HomeVisit, PlacementDecision
from ruraledu.orgunits.models import OrgUnit
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import StaffPerson


def pupil(name="李嘉宁") -> StudentPerson:
    person = StudentPerson(name=name, sex="1")
    person.set_id_number(new_id())
    person.save()
    return person


@pytest.fixture
def enrolment(school_a):
    return Enrolment.objects.create(person=pupil(), school=school_a, year=2025, grade=1)


def reads() -> list[tuple[str, str, str]]:
    return list(PersonalDataAccess.objects.values_list("user__username", "subject", "purpose"))


def test_the_trail_list_logs_the_pupils_it_names(client, district_admin, enrolment):
    # given an edit of a pupil's enrolment on the trail
    before = snapshot(enrolment)
    enrolment.grade = 2
    enrolment.save()
    audit_record(
        actor=district_admin,
        instance=enrolment,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(enrolment),
    )
    client.force_login(district_admin)
    # when the bureau opens the trail
    response = client.get(reverse("audit:event_list"))
    # then the row names the pupil, and that read is logged against the pupil
    assert "李嘉宁 2025 2年级" in response.content.decode()
    subject = f"students.studentperson:{enrolment.person_id}"
    assert reads() == [(district_admin.username, subject, "audit_trail")]


def test_a_record_page_logs_its_pupil_even_with_no_rows(client, district_admin, enrolment):
    client.force_login(district_admin)
    url = reverse("audit:record_history", args=["students", "enrolment", enrolment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "李嘉宁" in response.content.decode()
    assert reads() == [
        (district_admin.username, f"students.studentperson:{enrolment.person_id}", "audit_trail")
    ]


def test_a_deleted_records_row_is_logged_from_its_stored_values(client, district_admin, enrolment):
    # given an enrolment created, audited, then deleted: its row still carries the label
    person = enrolment.person_id
    audit_record(
        actor=district_admin,
        instance=enrolment,
        action=AuditAction.CREATE,
        after=snapshot(enrolment),
    )
    enrolment.delete()
    client.force_login(district_admin)
    # when the trail is read
    response = client.get(reverse("audit:event_list"))
    # then the pupil it names is found through the stored person
    assert "李嘉宁" in response.content.decode()
    assert reads() == [(district_admin.username, f"students.studentperson:{person}", "audit_trail")]


def test_rows_about_no_child_log_nothing(client, district_admin, school_a):
    unit = school_a.org_unit
    before = snapshot(unit)
    unit.name = "改名小学"
    unit.save()
    audit_record(
        actor=district_admin,
        instance=unit,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(unit),
    )
    client.force_login(district_admin)
    assert client.get(reverse("audit:event_list")).status_code == 200
    assert reads() == []


def test_each_kind_of_child_record_leads_to_its_child():
    # the pupil, or the care record the access log names by itself
    for model in (StudentPerson, DropoutCase, Finding, ListEntry):
        assert _about(model) == "self"
    assert _about(Enrolment) == ("person",)
    assert _about(CaseContact) == ("case",)  # contact -> case, logged as the case
    assert _about(GrowthReview) == ("file", "person")
    assert _about(PlacementDecision) == ("entry",)
    assert _about(HomeVisit) == "index"  # kept by the child's blind index only
    # adults and places are no child's
    assert _about(StaffPerson) is None
    assert _about(OrgUnit) is None


def test_the_admins_trail_pages_log_the_pupils_they_name(client, enrolment):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    event = audit_record(
        actor=root, instance=enrolment, action=AuditAction.CREATE, after=snapshot(enrolment)
    )
    client.force_login(root)
    subject = f"students.studentperson:{enrolment.person_id}"
    # the list of rows
    listed = client.get(reverse("admin:audit_auditevent_changelist"))
    assert "李嘉宁" in listed.content.decode()
    assert reads() == [("root", subject, "audit_trail")]
    # and one row
    shown = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert "李嘉宁" in shown.content.decode()
    assert reads() == [("root", subject, "audit_trail")] * 2
