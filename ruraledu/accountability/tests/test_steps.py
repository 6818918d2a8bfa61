import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from ruraledu.audit.models import AuditEvent
from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.models import Notification

from .. import services
from ..choices import StepKind
from ..models import AccountabilityStep
from .conftest import PDF

TODAY = dt.date(2026, 4, 29)


def key_of(schedule, department):
    period = schedule.project.reporting_periods.get(starts_on=dt.date(2026, 1, 1))
    return f"report-{period.pk}-{department.pk}"


def record(actor, key, kind=StepKind.TALK, document=(PDF, "约谈记录.pdf"), today=TODAY):
    return services.step_record(
        actor=actor,
        candidate_key=key,
        kind=kind,
        taken_on=today,
        reason="一季度进展报告逾期未报",
        document=document,
        today=today,
    )


def test_the_bureau_records_a_talk_with_its_document(
    schedule, district_admin, department, department_reporter, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        step = record(district_admin, key_of(schedule, department))
    # then
    step = AccountabilityStep.objects.get(pk=step.pk)
    assert (step.department, step.working_days_late, step.deadline) == (
        department,
        10,
        dt.date(2026, 4, 15),
    )
    assert step.document_name == "约谈记录.pdf" and step.document.read() == PDF
    assert (
        AuditEvent.objects.filter(
            object_id=str(step.pk), action="create", content_type__model="accountabilitystep"
        ).count()
        == 1
    )
    notice = Notification.objects.get(recipient=department_reporter)
    assert notice.kind == NotificationKind.ACCOUNTABILITY


def test_a_talk_without_a_document_is_refused(schedule, district_admin, department):
    with pytest.raises(ValidationError, match="须上传文件"):
        record(district_admin, key_of(schedule, department), document=None)
    assert not AccountabilityStep.objects.exists()


def test_a_reminder_needs_no_document(schedule, district_admin, department):
    step = record(district_admin, key_of(schedule, department), StepKind.REMINDER, None)
    assert step.kind == StepKind.REMINDER and not step.document


def test_a_fake_document_is_refused(schedule, district_admin, department):
    with pytest.raises(ValidationError):
        record(district_admin, key_of(schedule, department), document=(b"MZ\x90\x00", "记录.pdf"))
    assert not AccountabilityStep.objects.exists()


def test_nothing_is_recorded_before_the_limit_or_by_others(
    schedule, district_admin, department, department_reporter
):
    with pytest.raises(Http404):
        record(district_admin, key_of(schedule, department), today=dt.date(2026, 4, 28))
    with pytest.raises(Http404):
        record(department_reporter, key_of(schedule, department))
    assert not AccountabilityStep.objects.exists()


def test_a_step_against_a_school_is_seen_by_the_school_not_by_another(
    client, overdue_item, district_admin, school_clerk, outsider, town_officer
):
    step = record(
        district_admin,
        f"item-{overdue_item.pk}",
        StepKind.NOTICE,
        today=dt.date(2025, 11, 10),
    )
    url = reverse("accountability:step_detail", args=[step.pk])
    for user, status in ((school_clerk, 200), (town_officer, 200), (outsider, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(outsider)
    assert client.get(reverse("accountability:document", args=[step.pk])).status_code == 404


def test_the_department_page_and_the_cockpit_show_the_steps(
    client, schedule, district_admin, department, department_reporter, district_leader
):
    record(district_admin, key_of(schedule, department))
    client.force_login(department_reporter)
    page = client.get(reverse("plans:department_detail", args=[department.code]))
    assert "问责记录" in page.text and "约谈" in page.text
    client.force_login(district_leader)
    cockpit = client.get(reverse("dashboards:cockpit"))
    assert reverse("accountability:recent") in cockpit.text  # the panel loads after the page
    panel = client.get(reverse("accountability:recent"))
    assert "近期问责" in panel.text and department.name in panel.text


def test_the_candidate_page_is_the_bureaus(client, schedule, district_admin, district_leader):
    client.force_login(district_leader)
    assert client.get(reverse("accountability:candidate_list")).status_code == 404
    client.force_login(district_admin)
    assert client.get(reverse("accountability:candidate_list")).status_code == 200
