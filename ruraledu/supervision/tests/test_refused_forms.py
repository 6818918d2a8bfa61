"""A refused step shows its reason on its own form with what was typed still there: a school's
整改 reply with a file of the wrong type, a visit's finding without its area, an item without
its deadline, a visit or 听课 dated ahead."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ruraledu.activities.models import LessonObservation

from .. import services
from ..choices import ItemStatus
from ..models import Finding, ItemAnswer, RectificationItem, Visit
from .conftest import VISITED_ON, items_of, signed_visit_with_findings

REPLY = "已清理消防通道内堆放的杂物，并安排专人每日巡查。"


def test_a_reply_with_a_refused_file_keeps_its_text(
    client, inspector, school_a, kind, school_clerk
):
    # given an item notified to the school
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    (item,) = items_of(findings, inspector)
    services.notice_issue(actor=inspector, items=[item], issued_on=dt.date(2025, 9, 23))
    item.refresh_from_db()
    client.force_login(school_clerk)
    # when the school replies with a program as its evidence
    response = client.post(
        reverse("supervision:item_detail", args=[item.pk]),
        {
            "step": "answer",
            "version": item.version,
            "text": REPLY,
            "evidence": SimpleUploadedFile("整改.exe", b"MZ\x90\x00" * 64),
        },
    )
    # then the page says why, on the reply form, with the reply still typed in
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="step-error"' in body and "不支持“.exe”文件" in body
    assert f">{REPLY}</textarea>" in body
    assert not ItemAnswer.objects.exists()
    assert RectificationItem.objects.get().status == ItemStatus.NOTIFIED


def test_a_refused_step_whose_form_is_gone_says_why_at_the_top(
    client, inspector, school_a, kind, district_leader
):
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    (item,) = items_of(findings, inspector)
    client.force_login(district_leader)  # reads, never replies
    response = client.post(
        reverse("supervision:item_detail", args=[item.pk]),
        {"step": "answer", "version": item.version, "text": REPLY},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "只有该校可以反馈整改情况" in body and REPLY not in body


def test_a_finding_without_its_area_keeps_its_text(client, inspector, school_a, kind):
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON
    )
    client.force_login(inspector)
    response = client.post(
        reverse("supervision:visit_step", args=[visit.pk, "finding"]),
        {"area": "", "text": "食堂留样记录缺少九月第三周"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "请填写问题所属领域和问题描述" in body
    assert ">食堂留样记录缺少九月第三周</textarea>" in body
    assert not Finding.objects.exists()


def test_a_refused_save_keeps_the_summary_and_verdicts(client, inspector, school_a, kind):
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON
    )
    item = visit.checklist.items.first()
    client.force_login(inspector)
    response = client.post(
        reverse("supervision:visit_step", args=[visit.pk, "save"]),
        {
            "version": visit.version - 1,  # someone saved meanwhile
            "summary": "校园整体整洁，安全台账齐全",
            f"verdict_{item.pk}": "met",
            f"note_{item.pk}": "已抽查三本",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="step-error"' in body
    assert ">校园整体整洁，安全台账齐全</textarea>" in body
    assert 'value="已抽查三本"' in body and 'value="met" selected' in body
    visit.refresh_from_db()
    assert visit.summary == ""


@pytest.mark.parametrize(
    ("deadline", "reason"),
    [("", "请填写有效的整改期限"), ("2025-09-20", "整改期限必须晚于督导日期")],
)
def test_an_item_refused_for_its_deadline_keeps_what_was_typed(
    client, inspector, school_a, kind, deadline, reason
):
    # given a finding not yet made an item
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON
    )
    finding = services.finding_add(
        actor=inspector, visit=visit, area="安全管理", text="消防通道堵塞"
    )
    client.force_login(inspector)
    # when it is made an item without a deadline, or with one before the visit
    response = client.post(
        reverse("supervision:visit_step", args=[visit.pk, "item"]),
        {
            "finding": finding.pk,
            "description": "清理消防通道",
            "rule": "《中小学校安全管理办法》",
            "deadline": deadline,
            "responsible": "王主任",
        },
    )
    # then that form says why and keeps the entries; the deadline is marked required
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="step-error"' in body and reason in body
    assert 'value="清理消防通道"' in body and 'value="《中小学校安全管理办法》"' in body
    assert 'value="王主任"' in body
    assert f'value="{deadline}" min="2025-09-23" required' in body
    assert not RectificationItem.objects.exists()


def test_a_visit_dated_ahead_comes_back_with_the_school_and_team(
    client, inspector, school_a, kind, district_admin, school_b
):
    # given an inspector who supervises two schools
    services.inspector_assign(
        actor=district_admin,
        school=school_b,
        inspector=inspector,
        year=2025,
        started_on=dt.date(2025, 9, 1),
    )
    ahead = timezone.localdate() + dt.timedelta(days=1)
    client.force_login(inspector)
    # when a visit to the second school is started with a date ahead
    response = client.post(
        reverse("supervision:visit_create"),
        {
            "school": school_b.pk,
            "kind": kind.pk,
            "visited_on": ahead.isoformat(),
            "team": "李督学、周督学",
        },
    )
    # then the form says why, the school, date and team still chosen
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="step-error">督导日期不能晚于今天。' in body
    assert f'<option value="{school_b.pk}" selected>' in body
    assert f'value="{ahead.isoformat()}"' in body and 'value="李督学、周督学"' in body
    assert not Visit.objects.exists()


def test_a_lesson_observation_dated_ahead_keeps_what_was_typed(client, researcher, school_a):
    ahead = timezone.localdate() + dt.timedelta(days=1)
    client.force_login(researcher)
    typed = {
        "class_name": "三年级（2）班",
        "subject": "数学",
        "teacher_name": "赵老师",
        "title": "两位数乘法",
        "follow_up": "下周复听",
    }
    response = client.post(
        reverse("supervision:observation_create"),
        {
            "school": school_a.pk,
            "held_on": ahead.isoformat(),
            "rating": "good",
            "comments": "学生参与度高，板书清楚",
            **typed,
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="step-error">听课日期不能晚于今天。' in body
    for value in typed.values():
        assert f'value="{value}"' in body
    assert '<option value="good" selected>' in body
    assert ">学生参与度高，板书清楚</textarea>" in body
    assert not LessonObservation.objects.exists()


def test_a_stale_save_keeps_the_entries_at_the_current_version_and_saving_again_works(
    client, inspector, school_a, kind
):
    # given someone saved the visit after the inspector's page was read
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON
    )
    seen = visit.version
    services.visit_update(
        actor=inspector, visit=visit, version=seen, summary="第一次", team="", verdicts={}
    )
    item = visit.checklist.items.first()
    typed = {
        "version": seen,
        "summary": "校园整体整洁，安全台账齐全",
        "team": "李督学",
        f"verdict_{item.pk}": "met",
        f"note_{item.pk}": "已抽查三本",
    }
    client.force_login(inspector)
    url = reverse("supervision:visit_step", args=[visit.pk, "save"])
    # when the older copy is saved
    response = client.post(url, typed)
    # then it is refused with the entries kept, at the current version, saying what saving
    # again does
    body = response.content.decode()
    assert response.status_code == 400
    assert "再次保存将以您的内容替换对方的修改" in body
    assert f'name="version" value="{seen + 1}"' in body
    assert ">校园整体整洁，安全台账齐全</textarea>" in body and 'value="已抽查三本"' in body
    assert Visit.objects.get().summary == "第一次"
    # and saving again replaces the other save
    assert client.post(url, {**typed, "version": seen + 1}).status_code == 302
    assert Visit.objects.get().summary == typed["summary"]


def test_a_stale_reply_keeps_its_text_at_the_current_version(
    client, inspector, school_a, kind, school_clerk
):
    # given an item the inspector changed (issued) after the clerk read it
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    (item,) = items_of(findings, inspector)
    seen = item.version
    services.notice_issue(actor=inspector, items=[item], issued_on=dt.date(2025, 9, 23))
    now = RectificationItem.objects.get().version
    client.force_login(school_clerk)
    url = reverse("supervision:item_detail", args=[item.pk])
    typed = {"step": "answer", "version": seen, "text": REPLY}
    response = client.post(url, typed)
    body = response.content.decode()
    assert response.status_code == 400
    assert "再次保存将以您的内容替换对方的修改" in body
    assert f'name="version" value="{now}"' in body and f">{REPLY}</textarea>" in body
    assert not ItemAnswer.objects.exists()
    assert client.post(url, {**typed, "version": now}).status_code == 302
    assert ItemAnswer.objects.get().text == REPLY
