import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from ruraledu.audit.models import AuditEvent
from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.models import CalendarDay, Notification
from ruraledu.reporting.reminders import send_pending_emails

from .. import services
from ..choices import ComplaintEventKind, ComplaintStatus
from ..models import Complaint
from .conftest import ASSIGNED_ON, CALLER, answer, assign, close


def test_the_caller_is_stored_encrypted_and_read_back(complaint):
    # given / when
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT caller_name_cipher, caller_phone_cipher FROM hotline_complaint WHERE id = %s",
            [complaint.pk],
        )
        name_blob, phone_blob = cursor.fetchone()
    # then
    assert CALLER[0].encode() not in bytes(name_blob)
    assert CALLER[1].encode() not in bytes(phone_blob)
    assert Complaint.objects.get(pk=complaint.pk).caller() == CALLER


def test_an_anonymous_call_keeps_no_caller(district_admin, school_a):
    complaint = services.complaint_log(
        actor=district_admin,
        channel="online",
        received_on=dt.date(2025, 9, 26),
        unit=school_a.org_unit,
        topic="课业负担",
        question="作业太多睡得太晚",
    )
    assert complaint.caller() == ("", "")


def test_the_answer_is_due_ten_working_days_after_assignment_over_national_day(
    complaint, district_admin, school_a
):
    # 30 Sept (1), 1–8 Oct off, 9 (2), 10 (3), Sat 11 worked (4), 13–17 (5–9), Mon 20 (10)
    done = assign(complaint, district_admin, unit=school_a.org_unit)
    assert done.due_on == dt.date(2025, 10, 20)
    assert done.due_provisional is False
    assert done.status == ComplaintStatus.ASSIGNED


def test_a_year_without_holidays_makes_the_deadline_provisional(
    complaint, district_admin, school_a
):
    # given: the table holds no holiday of 2026, which the deadline counts through
    CalendarDay.objects.filter(date__year=2026).delete()
    # when
    done = assign(complaint, district_admin, unit=school_a.org_unit, on=dt.date(2025, 12, 22))
    # then: weekends counted, holidays could not be
    assert done.due_on == dt.date(2026, 1, 5)
    assert done.due_provisional is True


def test_it_walks_logged_assigned_answered_closed(
    complaint, district_admin, school_clerk, school_a
):
    # given
    assign(complaint, district_admin, unit=school_a.org_unit)
    # when
    answer(complaint, school_clerk)
    done = close(complaint, district_admin)
    # then
    assert done.status == ComplaintStatus.CLOSED
    assert done.answered_in_time is True
    assert list(done.events.values_list("kind", flat=True)) == [
        ComplaintEventKind.LOGGED,
        ComplaintEventKind.ASSIGNED,
        ComplaintEventKind.ANSWERED,
        ComplaintEventKind.CLOSED,
    ]


def test_a_returned_answer_goes_back_to_the_assignee(
    complaint, district_admin, school_clerk, school_a
):
    assign(complaint, district_admin, unit=school_a.org_unit)
    answer(complaint, school_clerk)
    complaint.refresh_from_db()
    services.complaint_return(
        actor=district_admin,
        complaint=complaint,
        version=complaint.version,
        reason="未说明退费凭证",
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert complaint.answered_on is None
    assert complaint.due_on == dt.date(2025, 10, 20)


@pytest.mark.parametrize("step", ["answer", "close"])
def test_it_refuses_steps_out_of_order(step, complaint, district_admin, school_clerk, school_a):
    with pytest.raises((ValidationError, PermissionDenied)):
        if step == "answer":
            answer(complaint, district_admin)
        else:
            close(complaint, district_admin)
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.RECEIVED


def test_only_the_bureau_logs_and_assigns(complaint, town_officer, school_clerk, school_a):
    with pytest.raises(PermissionDenied):
        services.complaint_log(
            actor=town_officer,
            channel="phone",
            received_on=dt.date(2025, 9, 26),
            unit=school_a.org_unit,
            topic="乱收费",
            question="收取资料费两百元",
        )
    with pytest.raises(PermissionDenied):
        assign(complaint, school_clerk, unit=school_a.org_unit)
    assert Complaint.objects.count() == 1
    assert Complaint.objects.get().status == ComplaintStatus.RECEIVED


def test_another_school_cannot_answer(complaint, district_admin, outsider, school_a):
    assign(complaint, district_admin, unit=school_a.org_unit)
    with pytest.raises(PermissionDenied):
        answer(complaint, outsider)
    assert Complaint.objects.get().status == ComplaintStatus.ASSIGNED


def test_the_town_answers_for_its_school_and_a_department_for_itself(
    complaint, district_admin, town_officer, department, department_reporter, school_a
):
    assign(complaint, district_admin, unit=school_a.org_unit)
    answer(complaint, town_officer)
    assert Complaint.objects.get().status == ComplaintStatus.ANSWERED
    other = services.complaint_log(
        actor=district_admin,
        channel="letter",
        received_on=dt.date(2025, 9, 26),
        unit=school_a.org_unit,
        topic="校车与交通安全",
        question="校车超载问题严重",
    )
    assign(other, district_admin, department=department)
    answer(other, department_reporter)
    assert Complaint.objects.get(pk=other.pk).status == ComplaintStatus.ANSWERED


def test_a_stale_form_is_refused(complaint, district_admin, school_clerk, school_a):
    assign(complaint, district_admin, unit=school_a.org_unit)
    with pytest.raises(ValidationError, match="已被其他人更新"):
        services.complaint_answer(
            actor=school_clerk,
            complaint=complaint,
            version=1,
            text="经核实已停止收费",
            answered_on=dt.date(2025, 10, 15),
        )


def test_who_may_not_answer_is_refused_as_such_before_the_version_is_checked(
    complaint, district_admin, outsider, school_clerk, department, school_a
):
    assign(complaint, district_admin, unit=school_a.org_unit)
    seen = Complaint.objects.get().version
    # given the bureau moved the complaint on to a department since the school read it
    assign(complaint, district_admin, department=department)
    # then a stale answer from another school, or from the school it no longer is with, is
    # refused for who sends it, not for the version
    for actor in (outsider, school_clerk):
        with pytest.raises(PermissionDenied, match="只有承办单位可以答复该工单。"):
            services.complaint_answer(
                actor=actor,
                complaint=complaint,
                version=seen,
                text="经核实已停止收费",
                answered_on=dt.date(2025, 10, 15),
            )
    now = Complaint.objects.get()
    assert (now.status, now.assigned_department, now.answer) == (
        ComplaintStatus.ASSIGNED,
        department,
        "",
    )


def test_every_step_is_audited_without_the_caller(
    complaint, district_admin, school_clerk, school_a
):
    assign(complaint, district_admin, unit=school_a.org_unit)
    answer(complaint, school_clerk)
    events = AuditEvent.objects.filter(object_id=str(complaint.pk), content_type__model="complaint")
    assert events.count() == 3
    text = str(list(events.values_list("before", "after", "summary")))
    assert CALLER[0] not in text and CALLER[1] not in text
    assert "caller_name_cipher" not in text


def test_the_school_is_notified_on_assignment(
    complaint, district_admin, school_clerk, school_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assign(complaint, district_admin, unit=school_a.org_unit)
    notice = Notification.objects.get(recipient=school_clerk)
    assert notice.kind == NotificationKind.COMPLAINT
    assert "2025年10月20日" in notice.title


def test_notices_that_may_be_e_mailed_carry_neither_the_complaint_nor_the_return_reason(
    complaint,
    district_admin,
    school_clerk,
    school_a,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    # a complaint often names a child; its words stay on the complaint's page, even the
    # freely typed 事项类别
    Complaint.objects.filter(pk=complaint.pk).update(topic="张小明家长反映乱收费")
    school_clerk.email = "clerk@example.cn"
    school_clerk.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        assign(complaint, district_admin, unit=school_a.org_unit)
    answer(complaint, school_clerk)
    complaint.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_return(
            actor=district_admin,
            complaint=complaint,
            version=complaint.version,
            reason="张小明家长称未收到退费",
        )
    complaint.refresh_from_db()
    services.complaints_remind(today=complaint.due_on + dt.timedelta(days=1))  # overdue
    send_pending_emails()
    notices = Notification.objects.filter(recipient=school_clerk)
    assert notices.count() == 3
    assert f"#{complaint.pk}" in notices.get(title__startswith="热线工单已逾期").title
    sent = [m.subject + m.body for m in mailoutbox if m.to == ["clerk@example.cn"]]
    assert len(sent) == 3 and "请登录平台查看" in sent[0]
    for text in [*sent, *(n.title + n.body for n in Notification.objects.all())]:
        assert "资料费" not in text and "张小明" not in text


def test_each_step_settles_the_notices_of_the_step_before(
    complaint, district_admin, school_clerk, school_a, django_capture_on_commit_callbacks
):
    """Answered, the school's 交办 notice waits on nobody; closed, nor does the bureau's."""

    def unread(user):
        return list(
            Notification.objects.filter(recipient=user, read_at__isnull=True).values_list(
                "title", flat=True
            )
        )

    with django_capture_on_commit_callbacks(execute=True):
        assign(complaint, district_admin, unit=school_a.org_unit)
    assert len(unread(school_clerk)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        answer(complaint, school_clerk)
    assert unread(school_clerk) == []
    assert [t[:10] for t in unread(district_admin)] == ["热线工单已答复，待办"]
    with django_capture_on_commit_callbacks(execute=True):
        close(complaint, district_admin)
    assert unread(district_admin) == []
    # settled means read, not gone: the list still shows what happened
    assert Notification.objects.filter(recipient=school_clerk).count() == 1


def test_reminders_mark_overdue_once(complaint, district_admin, school_clerk, school_a):
    # given: due 20 October; the 21st is past it
    assign(complaint, district_admin, unit=school_a.org_unit)
    # when
    first = services.complaints_remind(today=dt.date(2025, 10, 21))
    second = services.complaints_remind(today=dt.date(2025, 10, 21))
    # then: the school and the bureau once each, nothing the second time
    assert first == (0, 2)
    assert second == (0, 0)
    assert Complaint.objects.overdue(dt.date(2025, 10, 21)).count() == 1


def test_reminders_warn_when_due_soon(complaint, district_admin, school_clerk, school_a):
    assign(complaint, district_admin, unit=school_a.org_unit)
    assert services.complaints_remind(today=dt.date(2025, 10, 16)) == (1, 0)
    assert services.complaints_remind(today=dt.date(2025, 10, 13)) == (0, 0)


def test_assigning_before_receipt_is_refused(complaint, district_admin, school_a):
    with pytest.raises(ValidationError, match="不能早于受理日期"):
        assign(complaint, district_admin, unit=school_a.org_unit, on=ASSIGNED_ON.replace(day=20))
