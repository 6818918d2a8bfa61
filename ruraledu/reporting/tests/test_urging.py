"""催办 on the review queue: the bureau reminds the reporters of an overdue report with one
click; the reminder is a notice (and an e-mail), it is recorded, and a report is urged at most
once a day. No one else may urge."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ruraledu.audit.models import AuditEvent
from ruraledu.reporting import urging
from ruraledu.reporting.choices import NotificationKind, ReportEventKind
from ruraledu.reporting.models import Notification, ReportEvent, ReportUrge

from .conftest import TODAY

# Q1 2026 (the `period` fixture) was due 2026-04-15: overdue on TODAY (2026-05-10).


def urge_url(period) -> str:
    return reverse("reporting:report_urge", args=[period.pk])


def urged(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind=NotificationKind.URGED).values_list(
            "title", flat=True
        )
    )


@pytest.fixture
def with_email(department_reporter):
    department_reporter.email = "health@example.org"
    department_reporter.save()


def test_the_bureau_urges_an_overdue_report_that_was_never_started(
    period,
    department,
    department_reporter,
    district_admin,
    with_email,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # when the bureau urges the department, which has not started its Q1 report
    with django_capture_on_commit_callbacks(execute=True):
        urging.report_urge(period=period, actor=district_admin, department=department, today=TODAY)
    # then its reporter gets a notice and an e-mail
    assert urged(department_reporter) == [
        "催办：进展报告已逾期，请尽快提交：“乡村教师补充工程”2026年第1季度"
    ]
    assert [m.to for m in mailoutbox] == [["health@example.org"]]
    assert "区卫生健康局" in mailoutbox[0].body
    # and the click is recorded with who and when
    urge = ReportUrge.objects.get()
    assert (urge.period, urge.department, urge.report, urge.urged_by, urge.urged_on) == (
        period,
        department,
        None,
        district_admin,
        TODAY,
    )
    assert urge.recipients == 1
    audit = AuditEvent.objects.get(summary__startswith="催办")
    assert (audit.actor, audit.object_id) == (district_admin, str(urge.pk))


def test_urging_a_draft_reaches_its_school_clerks_and_shows_in_its_log(
    period, school_a, school_clerk, town_officer, district_admin
):
    # given the school started its report but did not submit it
    from .conftest import start

    draft = start(period, school_clerk, org_unit=school_a.org_unit)
    # when the bureau urges it
    urging.report_urge(period=period, actor=district_admin, org_unit=school_a.org_unit, today=TODAY)
    # then the school's clerk is told (the town officer is not one of its reporters)
    assert len(urged(school_clerk)) == 1
    assert urged(town_officer) == []
    # and the report's log and audit trail say who urged
    event = ReportEvent.objects.get(report=draft, kind=ReportEventKind.URGED)
    assert (event.actor, event.message) == (district_admin, "已通知 1 位填报人员")
    assert AuditEvent.objects.get(summary__startswith="催办").object_id == str(draft.pk)


def test_a_report_is_urged_at_most_once_a_day(
    period, department, department_reporter, district_admin, second_admin
):
    urging.report_urge(period=period, actor=district_admin, department=department, today=TODAY)
    # when another reviewer urges it again the same day
    with pytest.raises(ValidationError) as refused:
        urging.report_urge(period=period, actor=second_admin, department=department, today=TODAY)
    # then it is refused, saying who urged, and nothing more is sent or recorded
    assert "今天已于" in refused.value.messages[0]
    assert "同一份报告每天只能催办一次" in refused.value.messages[0]
    assert ReportUrge.objects.count() == 1
    assert len(urged(department_reporter)) == 1
    # the next day it may be urged again
    urging.report_urge(
        period=period,
        actor=second_admin,
        department=department,
        today=TODAY + dt.timedelta(days=1),
    )
    assert ReportUrge.objects.count() == 2
    assert len(urged(department_reporter)) == 2


def test_only_overdue_reports_are_urged(period, submitted, department, school_a, district_admin):
    # a submitted report
    with pytest.raises(ValidationError, match="该报告已提交，无需催办"):
        urging.report_urge(period=period, actor=district_admin, department=department, today=TODAY)
    # a report not yet due (Q1 is due 2026-04-15)
    with pytest.raises(ValidationError, match="尚未逾期，不能催办"):
        urging.report_urge(
            period=period,
            actor=district_admin,
            org_unit=school_a.org_unit,
            today=dt.date(2026, 4, 10),
        )
    assert ReportUrge.objects.count() == 0


@pytest.mark.parametrize("persona", ["department_reporter", "town_officer", "district_leader"])
def test_no_one_but_the_bureau_may_urge(request, period, department, persona):
    with pytest.raises(PermissionDenied):
        urging.report_urge(
            period=period,
            actor=request.getfixturevalue(persona),
            department=department,
            today=TODAY,
        )
    assert (ReportUrge.objects.count(), Notification.objects.count()) == (0, 0)


# ------------------------------------------------------------------ the review queue


def test_the_review_queue_offers_and_then_records_the_urge(
    client, period, department, department_reporter, district_admin
):
    client.force_login(district_admin)
    queue = reverse("reporting:review_queue")
    page = client.get(queue).content.decode()
    overdue = page.split('data-testid="overdue"')[1].split("</table>")[0]
    assert f'action="{urge_url(period)}"' in overdue
    # when the bureau clicks 催办 for the department
    response = client.post(urge_url(period), {"unit": f"d{department.pk}"}, follow=True)
    # then it is told, the reporter is notified and the row now reads 今日已催办
    page = response.content.decode()
    assert "已向区卫生健康局的 1 位填报人员发送催办通知" in page
    assert len(urged(department_reporter)) == 1
    row = page.split('data-testid="overdue"')[1].split("区卫生健康局")[1].split("</tr>")[0]
    assert "今日已催办" in row and "urge-form" not in row
    # and a second click the same day is refused with a clear message
    response = client.post(urge_url(period), {"unit": f"d{department.pk}"}, follow=True)
    assert "同一份报告每天只能催办一次" in response.content.decode()
    assert ReportUrge.objects.get().urged_on == timezone.localdate()
    assert len(urged(department_reporter)) == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("department_reporter", 403), ("school_clerk", 403), ("district_leader", 403)],
)
def test_the_urge_page_refuses_everyone_but_the_bureau(
    request, client, period, department, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(urge_url(period), {"unit": f"d{department.pk}"})
    assert response.status_code == status
    assert (ReportUrge.objects.count(), Notification.objects.count()) == (0, 0)


def test_anonymous_urge_goes_to_the_login_page(client, period, department):
    response = client.post(urge_url(period), {"unit": f"d{department.pk}"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert ReportUrge.objects.count() == 0


def test_an_unknown_unit_is_404(client, period, district_admin):
    client.force_login(district_admin)
    assert client.post(urge_url(period), {"unit": "d999999"}).status_code == 404
    assert client.post(urge_url(period), {"unit": "x"}).status_code == 404
