"""Pages, export, admin and drill-down: the caller only for the 督导室, scope by assignment."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.core.models import PersonalDataAccess

from ..choices import ComplaintStatus
from ..models import Complaint
from ..permissions import HIDDEN
from .conftest import ASSIGNED_ON, CALLER, assign


def detail(client, user, complaint):
    client.force_login(user)
    return client.get(reverse("hotline:complaint_detail", args=[complaint.pk]))


def test_the_bureau_sees_the_caller_and_the_read_is_logged(client, district_admin, complaint):
    response = detail(client, district_admin, complaint)
    assert response.status_code == 200
    assert CALLER[0] in response.text and CALLER[1] in response.text
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.subject) == (district_admin, f"热线来电人:{complaint.pk}")


@pytest.mark.parametrize("persona", ["district_leader", "town_officer", "school_clerk"])
def test_everyone_else_sees_the_complaint_without_the_caller(
    persona, request, client, district_admin, complaint, school_a
):
    assign(complaint, district_admin, unit=school_a.org_unit)
    user = request.getfixturevalue(persona)
    response = detail(client, user, complaint)
    assert response.status_code == 200
    assert "资料费" in response.text
    assert CALLER[0] not in response.text and CALLER[1] not in response.text
    assert HIDDEN in response.text
    assert not PersonalDataAccess.objects.exists()


def test_the_access_log_page_lists_a_caller_read(client, district_admin, complaint):
    detail(client, district_admin, complaint)
    response = client.get(reverse("audit:personal_access_list"))
    assert response.status_code == 200
    assert f"热线工单 #{complaint.pk} 的来电人" in response.text
    assert f"热线来电人:{complaint.pk}" not in response.text


def test_a_technician_superuser_does_not_see_the_caller(client, complaint):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    response = detail(client, admin, complaint)
    assert response.status_code == 200
    assert CALLER[0] not in response.text and HIDDEN in response.text


def test_the_admin_never_shows_the_caller(client, complaint):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("admin:hotline_complaint_change", args=[complaint.pk]))
    listing = client.get(reverse("admin:hotline_complaint_changelist"))
    assert page.status_code == 200 and listing.status_code == 200
    for text in (page.text, listing.text):
        assert CALLER[0] not in text and CALLER[1] not in text
    assert HIDDEN in page.text


def test_the_export_holds_no_caller_even_for_the_bureau(client, district_admin, complaint):
    client.force_login(district_admin)
    response = client.get(reverse("hotline:complaint_list") + "?format=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "学校向学生收取资料费每人两百元" in cells
    assert not any(CALLER[0] in c or CALLER[1] in c for c in cells)


def test_scope_follows_the_assignment(
    client, district_admin, complaint, school_clerk, outsider, town_officer, school_a
):
    # given: not yet assigned, only the bureau (and leaders) see it
    for user in (school_clerk, town_officer):
        assert detail(client, user, complaint).status_code == 404
    # when
    assign(complaint, district_admin, unit=school_a.org_unit)
    # then
    assert detail(client, school_clerk, complaint).status_code == 200
    assert detail(client, town_officer, complaint).status_code == 200
    assert detail(client, outsider, complaint).status_code == 404
    client.force_login(outsider)
    listing = client.get(reverse("hotline:complaint_list"))
    assert "资料费" not in listing.text


def test_a_department_sees_only_what_is_assigned_to_it(
    client, district_admin, complaint, department, department_reporter
):
    assert detail(client, department_reporter, complaint).status_code == 404
    assign(complaint, district_admin, department=department)
    assert detail(client, department_reporter, complaint).status_code == 200


def test_an_out_of_scope_answer_changes_nothing(
    client, district_admin, complaint, outsider, school_a
):
    assign(complaint, district_admin, unit=school_a.org_unit)
    client.force_login(outsider)
    url = reverse("hotline:complaint_detail", args=[complaint.pk])
    response = client.post(
        url, {"step": "answer", "text": "已经处理完毕了", "answered_on": "2025-10-10"}
    )
    assert response.status_code == 404
    assert Complaint.objects.get().status == ComplaintStatus.ASSIGNED


def test_only_the_bureau_logs_calls(client, school_clerk, school_a):
    client.force_login(school_clerk)
    response = client.post(
        reverse("hotline:complaint_list"),
        {
            "channel": "phone",
            "received_on": "2025-10-10",
            "unit": school_a.org_unit.pk,
            "topic": "乱收费",
            "question": "收取资料费两百元",
        },
    )
    assert response.status_code == 404
    assert not Complaint.objects.exists()


def test_the_list_filters_overdue(client, district_admin, complaint, school_a):
    assign(complaint, district_admin, unit=school_a.org_unit)
    client.force_login(district_admin)
    response = client.get(reverse("hotline:complaint_list") + "?overdue=1")
    assert f"#{complaint.pk}" in response.text  # due 2025-10-20, long past
    response = client.get(reverse("hotline:complaint_list") + "?status=closed")
    assert f"#{complaint.pk}" not in response.text


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("district_admin", ["督学热线", "问责"]),
        ("school_clerk", ["督学热线", "问责"]),
        ("department_reporter", ["督学热线", "问责"]),
    ],
)
def test_the_menu_offers_the_hotline_and_accountability(client, request, persona, shown):
    client.force_login(request.getfixturevalue(persona))
    groups = dict(client.get(reverse("hotline:complaint_list")).context["nav_groups"])
    assert [label for label, _ in groups["热线与问责"]] == shown


def test_the_daily_command_sends_reminders_once(district_admin, complaint, school_a):
    from django.core.management import call_command

    assign(complaint, district_admin, unit=school_a.org_unit)
    out = io.StringIO()
    call_command("hotline_remind", stdout=out)
    call_command("hotline_remind", stdout=out)
    # due 2025-10-20, long past: the bureau is told once (the school has no account here)
    assert out.getvalue().splitlines() == [
        "即将到期提醒 0 条；逾期提醒 1 条",
        "即将到期提醒 0 条；逾期提醒 0 条",
    ]


def test_a_stale_answer_keeps_its_text_at_the_current_version_and_saving_again_works(
    client, district_admin, complaint, school_clerk, school_a
):
    # given the bureau assigned the complaint again after the school's page was read
    assign(complaint, district_admin, unit=school_a.org_unit)
    seen = Complaint.objects.get().version
    assign(complaint, district_admin, unit=school_a.org_unit, on=ASSIGNED_ON)
    now = Complaint.objects.get().version
    client.force_login(school_clerk)
    url = reverse("hotline:complaint_detail", args=[complaint.pk])
    typed = {
        "step": "answer",
        "version": seen,
        "text": "经核实已停止收费并全额退还",
        "answered_on": "2025-10-15",
    }
    # when the school answers from its older copy
    response = client.post(url, typed)
    # then the answer form comes back with the text, the date and the current version, and
    # says what saving again does
    assert response.status_code == 400
    body = response.text
    assert 'data-testid="step-error">该工单已被其他人更新' in body
    assert "再次保存将以您的内容替换对方的修改" in body
    assert f'name="version" value="{now}"' in body
    assert ">经核实已停止收费并全额退还</textarea>" in body
    assert 'name="answered_on" value="2025-10-15"' in body
    assert Complaint.objects.get().status == ComplaintStatus.ASSIGNED
    # and saving again goes through
    assert client.post(url, {**typed, "version": now}).status_code == 302
    answered = Complaint.objects.get()
    assert (answered.status, answered.answer) == (ComplaintStatus.ANSWERED, typed["text"])


def test_a_refused_assignment_keeps_the_chosen_department_and_date(
    client, district_admin, complaint, department
):
    client.force_login(district_admin)
    response = client.post(
        reverse("hotline:complaint_detail", args=[complaint.pk]),
        {
            "step": "assign",
            "version": complaint.version,
            "assignee": f"d{department.pk}",
            "assigned_on": "2025-09-20",  # before the call came in
        },
    )
    body = response.text
    assert response.status_code == 400
    assert 'data-testid="step-error">交办日期不能早于受理日期。' in body
    assert f'<option value="d{department.pk}" selected>' in body
    assert 'name="assigned_on" value="2025-09-20"' in body
    assert Complaint.objects.get().status == ComplaintStatus.RECEIVED


@pytest.mark.parametrize(
    ("received_on", "reason"),
    [("2099-01-01", "受理日期不能晚于今天。"), ("", "请填写有效的受理日期。")],
)
def test_a_refused_call_comes_back_on_the_log_form_with_everything_typed(
    client, district_admin, complaint, school_b, received_on, reason
):
    client.force_login(district_admin)
    typed = {
        "channel": "letter",
        "received_on": received_on,
        "unit": school_b.org_unit.pk,
        "topic": "课业负担",
        "question": "周末补课每天八小时",
        "caller_name": "钱写信",
        "caller_phone": "13905330002",
    }
    # when the bureau logs a call the service refuses, from a filtered list
    response = client.post(reverse("hotline:complaint_list") + "?status=received", typed)
    # then the list comes back with the reason on the open log form and every entry kept
    assert response.status_code == 400
    body = response.text
    assert 'data-testid="log-form" open>' in body
    assert f'data-testid="step-error">{reason}</div>' in body
    assert '<option value="letter" selected>信件</option>' in body
    assert f'name="received_on" value="{received_on}"' in body
    assert f'<option value="{school_b.org_unit.pk}" selected>' in body
    assert 'value="课业负担"' in body
    assert ">周末补课每天八小时</textarea>" in body
    assert 'value="钱写信"' in body and 'value="13905330002"' in body
    assert f"#{complaint.pk}</a>" in body  # the list is still there
    assert list(Complaint.objects.values_list("pk", flat=True)) == [complaint.pk]


def test_a_logged_call_opens_its_page(client, district_admin, school_a):
    client.force_login(district_admin)
    response = client.post(
        reverse("hotline:complaint_list"),
        {
            "channel": "phone",
            "received_on": "2025-10-10",
            "unit": school_a.org_unit.pk,
            "topic": "乱收费",
            "question": "收取资料费两百元",
        },
    )
    logged = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("hotline:complaint_detail", args=[logged.pk])
    assert (logged.topic, logged.unit) == ("乱收费", school_a.org_unit)


@pytest.mark.parametrize("unit", ["", "²", "1.5", "<script>", "99999999999999999999"])
def test_a_call_whose_unit_is_no_id_is_not_found_and_not_logged(
    client, district_admin, school_a, unit
):
    client.force_login(district_admin)
    response = client.post(
        reverse("hotline:complaint_list"),
        {
            "channel": "phone",
            "received_on": "2025-10-10",
            "unit": unit,
            "topic": "乱收费",
            "question": "收取资料费两百元",
        },
    )
    assert response.status_code == 404
    assert not Complaint.objects.exists()
