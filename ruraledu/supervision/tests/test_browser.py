"""On a phone (390 px wide): the inspector records a visit with a photo, raises two findings
and issues a numbered notice; the school answers with evidence; the inspector opens the
evidence, closes one item and returns the other; the returned item, left overdue, escalates
to the town office. No page scrolls sideways."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD
from ruraledu.reporting.models import Notification

from .. import services
from ..choices import Escalation, ItemStatus, VisitStatus
from ..models import RectificationItem, Visit, VisitPhoto
from .conftest import jpeg

pytestmark = pytest.mark.browser


def _as(page, user):
    page.context.clear_cookies()
    browser_login(page, user.username, PASSWORD)


def _submit(page, button_name):
    page.get_by_role("button", name=button_name, exact=True).click()
    page.wait_for_load_state("networkidle")
    assert fits_phone(page)


def test_a_visit_goes_from_the_phone_to_a_notice_answers_verification_and_escalation(
    page, inspector, kind, school_a, school_clerk, town_officer
):
    today = timezone.localdate()
    deadline = today + dt.timedelta(days=7)
    page.set_viewport_size({"width": 390, "height": 844})

    # given the school's 挂牌 inspector on the supervision page
    _as(page, inspector)
    page.goto(f"{page.base}/supervision/")
    assert fits_phone(page)
    page.select_option("#v-school", str(school_a.pk))
    page.select_option("#v-kind", str(kind.pk))
    page.fill("#v-date", today.isoformat())
    _submit(page, "开始记录")
    visit = Visit.objects.get()

    # when the inspector gives every verdict, takes a photo and notes two problems
    for item in visit.checklist.items.all():
        page.select_option(f"#verdict_{item.pk}", "met")
    page.fill("#summary", "校园整洁，课程开齐开足。")
    _submit(page, "保存")
    page.set_input_files(
        "#photo", {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
    )
    _submit(page, "上传照片")
    page.locator("img[alt='IMG_0001.jpg']").wait_for()  # uploaded through the phone's queue
    for text in ("消防通道堆放杂物", "食堂留样记录不全"):
        page.get_by_label("问题领域").fill("安全管理")
        page.get_by_label("问题描述").fill(text)
        _submit(page, "记录问题")
    for _ in range(2):
        form = page.locator("form", has=page.get_by_role("button", name="列为整改事项")).first
        form.get_by_label("依据").fill("《中小学校安全管理办法》")
        form.get_by_label("整改期限").fill(deadline.isoformat())
        form.get_by_label("学校责任人").fill("王主任")
        form.get_by_role("button", name="列为整改事项").click()
        page.wait_for_load_state("networkidle")
    page.fill("#principal_name", "张校长")
    page.check("#ack")
    _submit(page, "签字确认（确认后锁定）")
    _submit(page, "下发整改通知书")

    # then the visit is locked, its photo stored without GPS, and the notice is numbered
    label = f"川教督整〔{today.year}〕1号"
    assert page.get_by_text(label).count() >= 1
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SIGNED_OFF
    photo = VisitPhoto.objects.get(visit=visit)
    with Image.open(BytesIO(photo.file.open("rb").read())) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
    first, second = RectificationItem.objects.order_by("pk")
    assert [first.status, second.status] == [ItemStatus.NOTIFIED, ItemStatus.NOTIFIED]
    assert first.notice.label == second.notice.label == label

    # when the school answers both with evidence
    _as(page, school_clerk)
    for item in (first, second):
        page.goto(f"{page.base}/supervision/items/{item.pk}/")
        page.fill("#answer-text", "已清理并建立检查记录。")
        page.set_input_files(
            "#evidence", {"name": "整改后.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
        )
        _submit(page, "提交整改反馈")
        assert page.get_by_test_id("item-status").inner_text() == "学校已反馈，待核查"

    # and the inspector opens the evidence, closes the first and returns the second
    _as(page, inspector)
    page.goto(f"{page.base}/supervision/items/{first.pk}/")
    with page.expect_download() as download:
        page.get_by_test_id("evidence").click()
    assert download.value.suggested_filename == "整改后.jpg"
    _submit(page, "核查通过，销号")
    assert page.get_by_test_id("item-status").inner_text() == "已销号"
    page.goto(f"{page.base}/supervision/items/{second.pk}/")
    page.fill("#reason", "留样记录仍缺少周末两天。")
    _submit(page, "退回重新整改")
    assert page.get_by_test_id("item-status").inner_text() == "核查未通过，已退回"

    # when the daily escalation runs five working days after the deadline
    raised = services.items_escalate(today=deadline + dt.timedelta(days=7))

    # then only the returned item goes up, to the town office, which is told and sees it
    first.refresh_from_db()
    second.refresh_from_db()
    assert raised == 1
    assert (first.status, first.escalation) == (ItemStatus.CLOSED, Escalation.NONE)
    assert (second.status, second.escalation) == (ItemStatus.RETURNED, Escalation.TOWN)
    assert Notification.objects.get(recipient=town_officer).url == (
        f"/supervision/items/{second.pk}/"
    )
    _as(page, town_officer)
    page.goto(f"{page.base}/supervision/items/?status=open")
    assert fits_phone(page)
    assert page.get_by_text("已报镇街教育办").count() == 1
