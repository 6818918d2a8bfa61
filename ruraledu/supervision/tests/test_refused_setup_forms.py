"""The bureau's set-up pages and the lesson form, refused: the page comes back (400) with the
reason on that form and every entry kept, and nothing is written."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.activities.models import PublicLesson, SchoolLink
from ruraledu.workforce.models import Post

from .. import services
from ..models import Checklist, InspectorAssignment, StaffAccount, VisitKind, Zone
from .conftest import YEAR, staff

ERROR = 'data-testid="step-error">'


def test_a_refused_assignment_keeps_the_school_account_phone_and_duties(
    client, district_admin, school_a, school_b
):
    zone = services.zone_save(actor=district_admin, name="乙镇责任区", schools=[school_b])
    UserFactory(username="zhou")
    client.force_login(district_admin)
    # when an assignment of 2025 is given a start in the year before
    response = client.post(
        reverse("supervision:assignment_list") + f"?year={YEAR}",
        {
            "step": "assign",
            "school": school_b.pk,
            "inspector": "zhou",
            "started_on": "2024-09-01",
            "zone": zone.pk,
            "work_phone": "0533-5186666",
            "duties": "每月督导两次",
        },
    )
    # then the form says why and keeps every entry
    body = response.content.decode()
    assert response.status_code == 400
    assert ERROR + "开始日期须在2025—2026学年内（2025-09-01 至 2026-08-31）。" in body
    assert f'<option value="{school_b.pk}" selected>' in body
    assert f'<option value="{zone.pk}" selected>' in body
    assert 'value="zhou"' in body and 'name="started_on" value="2024-09-01"' in body
    assert 'value="0533-5186666"' in body and 'value="每月督导两次"' in body
    assert not InspectorAssignment.objects.exists()


def test_an_assignment_to_an_unknown_account_says_so_on_the_form(client, district_admin, school_a):
    client.force_login(district_admin)
    response = client.post(
        reverse("supervision:assignment_list") + f"?year={YEAR}",
        {
            "step": "assign",
            "school": school_a.pk,
            "inspector": "nobody",
            "started_on": "2025-09-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert ERROR + "没有找到账号“nobody”。" in body and 'value="nobody"' in body
    assert not InspectorAssignment.objects.exists()


def test_a_refused_end_comes_back_on_its_row_with_the_date_typed(
    client, district_admin, inspector, school_a
):
    assignment = InspectorAssignment.objects.get()
    client.force_login(district_admin)
    response = client.post(
        reverse("supervision:assignment_list") + f"?year={YEAR}",
        {"step": "end", "pk": assignment.pk, "ended_on": "2025-08-20"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert ERROR + "结束日期不能早于开始日期（2025-09-01）。" in body
    assert "<details open>" in body and 'name="ended_on" value="2025-08-20"' in body
    assignment.refresh_from_db()
    assert assignment.ended_on is None


def test_a_photo_without_a_file_keeps_the_account(client, district_admin, inspector):
    client.force_login(district_admin)
    response = client.post(
        reverse("supervision:assignment_list") + f"?year={YEAR}",
        {"step": "photo", "inspector": "inspector"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert ERROR + "请选择照片。" in body and 'id="p-inspector" name="inspector"' in body
    assert 'list="inspector-accounts" value="inspector" required' in body


def test_a_lesson_dated_ahead_keeps_what_was_typed(client, researcher, school_a):
    teacher = staff("刘名师")
    Post.objects.create(person=teacher, school=school_a, year=YEAR, position="teacher", degree="2")
    ahead = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client.force_login(researcher)
    response = client.post(
        reverse("supervision:lesson_record"),
        {
            "school": school_a.pk,
            "held_on": ahead,
            "kind": "outreach",
            "teacher": teacher.pk,
            "title": "分数的意义",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert ERROR + "上课日期不能晚于今天。" in body
    assert f'value="{ahead}"' in body and 'value="分数的意义"' in body
    assert '<option value="outreach" selected>' in body
    assert f'<option value="{teacher.pk}" selected>' in body
    assert not PublicLesson.objects.exists()


def test_a_zone_without_a_name_keeps_its_town_and_schools(
    client, district_admin, town_a, school_a, school_b
):
    client.force_login(district_admin)
    response = client.post(
        reverse("supervision:zone_create"),
        {"name": "  ", "town": town_a.pk, "schools": [school_a.pk, school_b.pk]},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert ERROR + "名称：此字段不能为空。" in body
    assert f'<option value="{town_a.pk}" selected>' in body
    for school in (school_a, school_b):
        assert f'value="{school.pk}" id="zs{school.pk}" checked' in body
    assert not Zone.objects.exists()


def test_a_zone_renamed_to_a_taken_name_keeps_the_typed_name(
    client, district_admin, school_a, school_b
):
    services.zone_save(actor=district_admin, name="甲镇责任区", schools=[school_a])
    other = services.zone_save(actor=district_admin, name="乙镇责任区", schools=[school_b])
    client.force_login(district_admin)
    response = client.post(
        reverse("supervision:zone_edit", args=[other.pk]),
        {"name": "甲镇责任区", "schools": [school_a.pk, school_b.pk]},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert ERROR + "名称：具有 名称 的 督导责任区 已存在。" in body
    assert 'name="name" value="甲镇责任区"' in body
    assert f'value="{school_a.pk}" id="zs{school_a.pk}" checked' in body
    other.refresh_from_db()
    assert (other.name, list(other.schools.all())) == ("乙镇责任区", [school_b])


def test_a_kind_with_a_negative_frequency_keeps_what_was_typed(client, district_admin):
    client.force_login(district_admin)
    response = client.post(
        reverse("supervision:kind_create"),
        {"name": "专项督导", "visits_per_month": "-1", "order": "3"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert ERROR + "每校每月应到次数：" in body
    assert 'name="name" value="专项督导"' in body
    assert 'name="visits_per_month" value="-1"' in body and 'name="order" value="3"' in body
    assert not VisitKind.objects.exists()


def test_an_empty_checklist_keeps_its_title_on_the_form(client, district_admin):
    kind = services.visit_kind_save(actor=district_admin, name="暗访")
    client.force_login(district_admin)
    url = reverse("supervision:checklist_create") + f"?kind={kind.pk}"
    response = client.post(url, {"title": "暗访检查表（秋季）", "lines": "  \n"})
    body = response.content.decode()
    assert response.status_code == 400
    assert ERROR + "检查表没有任何条目" in body
    assert 'value="暗访检查表（秋季）"' in body
    assert not Checklist.objects.exists()


def test_a_refused_link_keeps_the_account_and_school(client, district_admin, school_a, school_b):
    UserFactory(username="wang")  # no staff record yet
    client.force_login(district_admin)
    response = client.post(
        reverse("supervision:link_list") + f"?year={YEAR}",
        {"step": "link", "username": "wang", "school": school_b.pk},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert ERROR + "该账号还没有对应的教职工记录，请先关联教职工。" in body
    assert 'id="l-user" name="username" list="staff-accounts" value="wang"' in body
    assert f'<option value="{school_b.pk}" selected>' in body
    assert not SchoolLink.objects.exists()


def test_a_refused_account_link_keeps_the_names_but_not_the_id_number(client, district_admin):
    UserFactory(username="wang")
    person = staff("王教研")
    client.force_login(district_admin)
    number = person.id_number()
    response = client.post(
        reverse("supervision:link_list") + f"?year={YEAR}",
        {"step": "account", "username": "wang", "name": "王教员", "id_number": number},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert ERROR + "没有找到姓名和身份证号都相符的教职工。" in body
    assert 'id="s-user" name="username" value="wang"' in body
    assert 'id="s-name" name="name" value="王教员"' in body
    assert number not in body
    assert not StaffAccount.objects.exists()
