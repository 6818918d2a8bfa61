"""Permission matrix of the supervision pages: anonymous, no permission, in scope, out of
scope; on a denied request nothing changes."""

import datetime as dt

import pytest
from django.urls import reverse

from .. import services
from ..choices import ItemStatus, VisitStatus
from ..models import Finding, RectificationItem, Visit
from .conftest import VISITED_ON, items_of, jpeg, signed_visit_with_findings


@pytest.fixture
def visit(inspector, school_a, kind):
    return services.visit_create(actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON)


def test_anonymous_is_sent_to_login(client, visit):
    response = client.get(reverse("supervision:visit_detail", args=[visit.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("inspector", 200),
        ("district_leader", 200),
        ("town_officer", 200),
        ("school_clerk", 200),
        ("outsider", 404),
        ("other_inspector", 404),
    ],
)
def test_a_visit_opens_in_scope_and_is_not_found_outside(client, request, visit, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("supervision:visit_detail", args=[visit.pk])).status_code == status


@pytest.mark.parametrize("persona", ["outsider", "other_inspector"])
def test_out_of_scope_steps_are_404_and_change_nothing(client, request, visit, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("supervision:visit_step", args=[visit.pk, "finding"])
    assert client.post(url, {"area": "安全", "text": "越权"}).status_code == 404
    assert not Finding.objects.exists()


@pytest.mark.parametrize("persona", ["district_leader", "school_clerk"])
def test_read_only_roles_cannot_write_a_visit(client, request, visit, persona):
    client.force_login(request.getfixturevalue(persona))
    client.post(
        reverse("supervision:visit_step", args=[visit.pk, "finding"]), {"area": "安全", "text": "x"}
    )
    assert not Finding.objects.exists()


def test_the_inspector_walks_a_visit_to_a_notice_through_the_pages(
    client, inspector, school_a, kind
):
    client.force_login(inspector)
    client.post(
        reverse("supervision:visit_create"),
        {"school": school_a.pk, "kind": kind.pk, "visited_on": VISITED_ON.isoformat()},
    )
    visit = Visit.objects.get()

    def step(name, data):
        return client.post(reverse("supervision:visit_step", args=[visit.pk, name]), data)

    for text in ("消防通道堆放杂物", "食堂留样记录不全"):
        step("finding", {"area": "安全管理", "text": text})
    photo = jpeg()
    from django.core.files.uploadedfile import SimpleUploadedFile

    step("photo", {"photo": SimpleUploadedFile("IMG.jpg", photo, "image/jpeg"), "client_key": "a"})
    data = {f"verdict_{i.pk}": "met" for i in visit.checklist.items.all()}
    step("save", {**data, "version": visit.version, "summary": "良好", "team": "李督学"})
    visit.refresh_from_db()
    step("sign-off", {"version": visit.version, "principal_name": "张校长", "acknowledged": "on"})
    for f in Finding.objects.all():
        step(
            "item",
            {
                "finding": f.pk,
                "description": f.text,
                "deadline": "2025-10-20",
                "responsible": "王主任",
            },
        )
    response = step(
        "notice",
        {
            "items": list(RectificationItem.objects.values_list("pk", flat=True)),
            "issued_on": "2025-09-23",
        },
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SIGNED_OFF and visit.photos.count() == 1
    assert set(RectificationItem.objects.values_list("status", flat=True)) == {ItemStatus.NOTIFIED}
    page = client.get(response.url)
    assert "川教督整〔2025〕1号" in page.content.decode()


def test_the_school_answers_and_outsiders_get_404(
    client, inspector, school_a, kind, school_clerk, outsider
):
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    (item,) = items_of(findings, inspector)
    services.notice_issue(actor=inspector, items=[item], issued_on=dt.date(2025, 9, 23))
    item.refresh_from_db()
    url = reverse("supervision:item_detail", args=[item.pk])
    client.force_login(outsider)
    assert (
        client.post(
            url, {"step": "answer", "version": item.version, "text": "越权的反馈"}
        ).status_code
        == 404
    )
    assert client.get(url).status_code == 404
    client.force_login(school_clerk)
    client.post(url, {"step": "answer", "version": item.version, "text": "已整改完毕"})
    assert RectificationItem.objects.get().status == ItemStatus.ANSWERED


def test_the_ledger_exports_only_items_in_scope(
    client, inspector, school_a, kind, outsider, district_leader
):
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    items_of(findings, inspector)
    client.force_login(outsider)
    assert "甲镇中心小学" not in client.get(reverse("supervision:ledger")).content.decode()
    client.force_login(district_leader)
    page = client.get(reverse("supervision:ledger")).content.decode()
    assert "甲镇中心小学" in page
    assert "<td>待下发</td>" in page  # the state in words, not its code
    response = client.get(reverse("supervision:ledger") + "?format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxml"
    )


def test_a_researcher_records_on_the_page_and_sees_the_progress(
    client, researcher, school_a, school_b
):
    client.force_login(researcher)
    client.post(
        reverse("supervision:observation_create"),
        {"school": school_a.pk, "held_on": "2025-10-09", "subject": "数学"},
    )
    assert (
        client.post(
            reverse("supervision:observation_create"),
            {"school": school_b.pk, "held_on": "2025-10-09"},
        ).status_code
        == 404
    )
    from ruraledu.activities.models import LessonObservation

    assert LessonObservation.objects.get().school == school_a


@pytest.mark.parametrize("value", ["", "²", "１２", "2026-02-30", "99999999999999999999"])
def test_a_school_or_kind_that_is_no_id_is_not_found(
    client, inspector, researcher, school_a, kind, value
):
    # given the inspector's and the researcher's forms, with the school or kind altered
    client.force_login(inspector)
    url = reverse("supervision:visit_create")
    day = VISITED_ON.isoformat()
    # when they are sent, then the school or kind is not found and nothing is recorded
    for data in ({"school": value, "kind": kind.pk}, {"school": school_a.pk, "kind": value}):
        assert client.post(url, {**data, "visited_on": day}).status_code == 404
    assert not Visit.objects.exists()
    client.force_login(researcher)
    url = reverse("supervision:observation_create")
    assert client.post(url, {"school": value, "held_on": day}).status_code == 404


@pytest.mark.parametrize("value", ["x", "1.5", "99999999999999999999"])
def test_a_finding_or_item_that_is_no_id_is_not_taken(client, inspector, school_a, kind, value):
    # given a signed-off visit with a finding and its item
    visit, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    items_of(findings, inspector)
    client.force_login(inspector)

    def step(name, data):
        return client.post(reverse("supervision:visit_step", args=[visit.pk, name]), data)

    # when an item names a finding that is no id, then the finding is not found
    item = {"finding": value, "description": "x", "deadline": "2025-10-20", "responsible": "王"}
    assert step("item", item).status_code == 404
    # when a notice names only items that are no ids, then it is refused for having none
    response = step("notice", {"items": [value], "issued_on": "2025-09-23"})
    assert response.status_code == 400
    assert RectificationItem.objects.get().status == ItemStatus.OPEN


def test_the_notice_form_is_offered_only_with_an_item_to_issue(client, inspector, school_a, kind):
    """A locked visit with problems not yet listed as items, or whose items are all issued,
    offers no empty 下发整改通知书 form (it would only answer a refusal)."""
    visit, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    client.force_login(inspector)
    url = reverse("supervision:visit_detail", args=[visit.pk])
    notice_step = reverse("supervision:visit_step", args=[visit.pk, "notice"])

    page = client.get(url).content.decode()
    assert notice_step not in page
    assert "先将发现的问题“列为整改事项”，再下发整改通知书。" in page

    (item,) = items_of(findings, inspector)
    page = client.get(url).content.decode()
    assert notice_step in page and f'value="{item.pk}"' in page
    assert "先将发现的问题" not in page

    services.notice_issue(actor=inspector, items=[item], issued_on=dt.date(2025, 9, 23))
    page = client.get(url).content.decode()
    assert notice_step not in page and "先将发现的问题" not in page


def test_a_visit_without_problems_does_not_number_the_empty_note(client, inspector, visit):
    """The 暂无 under 发现的问题 is a note, not item 1 of the numbered problem list."""
    client.force_login(inspector)
    page = client.get(reverse("supervision:visit_detail", args=[visit.pk])).content.decode()
    assert '<p class="text-muted" data-testid="no-findings">暂无</p>' in page
    assert '<li class="text-muted">暂无</li>' not in page
