"""On a phone (390 px) the connection drops while the inspector records a visit: the draft stays
in the browser and the photo waits in its queue, with the number waiting shown; when the
network is back the photo is uploaded by itself and the restored draft is saved."""

import pytest
from django.utils import timezone

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD

from .. import services
from ..choices import Verdict
from ..models import Visit, VisitPhoto, VisitVerdict
from .conftest import jpeg

pytestmark = pytest.mark.browser


def test_a_dropped_connection_loses_neither_the_draft_nor_the_photo(
    page, inspector, school_a, kind
):
    # given the inspector on a new visit's form on a phone
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=timezone.localdate()
    )
    items = list(visit.checklist.items.all())
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, inspector.username, PASSWORD)
    page.goto(f"{page.base}/supervision/visits/{visit.pk}/")

    # when the verdicts are filled in and the connection drops before saving
    for item in items:
        page.select_option(f"#verdict_{item.pk}", Verdict.MET)
    page.fill("#summary", "断网时填写的总体情况")
    page.context.set_offline(True)
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("网络已断开：草稿已保存在本机").wait_for()

    # and a photo is taken while still offline
    page.set_input_files(
        "#photo", {"name": "IMG_0101.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
    )
    page.get_by_role("button", name="上传照片").click()
    queue = page.locator("#photo-queue")
    queue.get_by_text("有 1 张照片待上传").wait_for()

    # then nothing reached the server yet
    assert not VisitPhoto.objects.exists()
    assert Visit.objects.get().summary == ""

    # when the network comes back
    page.context.set_offline(False)

    # then the photo uploads by itself (stored once, without its GPS) and the queue empties
    page.locator("img[alt='IMG_0101.jpg']").wait_for()
    assert queue.is_hidden()
    photo = VisitPhoto.objects.get()
    assert (photo.visit_id, photo.original_name) == (visit.pk, "IMG_0101.jpg")

    # and the page reloaded with the draft restored from the phone, which now saves
    assert page.input_value("#summary") == "断网时填写的总体情况"
    page.get_by_text("已恢复本机保存的草稿").wait_for()
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("已保存。").wait_for()
    assert Visit.objects.get().summary == "断网时填写的总体情况"
    assert VisitVerdict.objects.filter(visit=visit, verdict=Verdict.MET).count() == len(items)
    assert fits_phone(page)


def test_a_save_lost_on_the_way_leaves_the_draft_on_the_phone(page, inspector, school_a, kind):
    # given the phone believes it is online but the save request never reaches the server
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=timezone.localdate()
    )
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, inspector.username, PASSWORD)
    url = f"{page.base}/supervision/visits/{visit.pk}/"
    page.goto(url)
    page.fill("#summary", "信号不好时填写")
    page.route("**/save/", lambda route: route.abort("internetdisconnected"))

    # when the inspector presses 保存 and later opens the visit again
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_timeout(500)
    page.unroute("**/save/")
    page.goto(url)

    # then nothing was saved, and the draft is back in the form
    assert Visit.objects.get().summary == ""
    assert page.input_value("#summary") == "信号不好时填写"
    page.get_by_text("已恢复本机保存的草稿").wait_for()
