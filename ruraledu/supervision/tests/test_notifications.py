"""The 整改 workflow tells the next person in app: a notice issued reaches the school's clerks,
an answer the school's inspector, a return the clerks again; each once, with a link they open,
and a refused step tells no one."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.models import Notification

from .. import services
from .conftest import items_of, signed_visit_with_findings

ISSUED = dt.date(2025, 9, 23)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def items(inspector, school_a, kind):
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=2)
    return items_of(findings, inspector)


def _told(user):
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("title", "url")
    )


def test_the_school_hears_of_a_notice_the_inspector_of_its_answer_the_school_of_a_return(
    client, capture, items, inspector, school_clerk, outsider, town_officer
):
    # when the inspector issues the notice
    with capture():
        notice = services.notice_issue(actor=inspector, items=items, issued_on=ISSUED)
    # then the school's clerk is told once, with the notice's page, and nobody else
    notice_url = f"/supervision/notices/{notice.pk}/"
    assert _told(school_clerk) == [
        (f"整改通知书 {notice.label}：甲镇中心小学，2 项待整改", notice_url)
    ]
    assert Notification.objects.get().kind == NotificationKind.TASK
    assert "整改问题1（期限 2025-10-20）" in Notification.objects.get().body
    assert not _told(inspector) and not _told(outsider) and not _told(town_officer)

    # when the school answers the first item
    item = items[0]
    item.refresh_from_db()
    with capture():
        services.item_answer(
            actor=school_clerk, item=item, version=item.version, text="已清理消防通道杂物。"
        )
    # then its inspector is told, with the item's page
    item_url = f"/supervision/items/{item.pk}/"
    assert _told(inspector) == [("整改已反馈，待核查：甲镇中心小学 安全管理", item_url)]

    # when the inspector returns it, and the school answers and it is returned again
    for n in (1, 2):
        item.refresh_from_db()
        with capture():
            services.item_return(
                actor=inspector, item=item, version=item.version, reason=f"第{n}次：通道仍有杂物"
            )
        if n == 1:
            item.refresh_from_db()
            with capture():
                services.item_answer(
                    actor=school_clerk, item=item, version=item.version, text="已再次清理。"
                )
    # then the clerk heard of each return, the inspector of each answer, each once
    returned = "整改被退回，请重新整改：甲镇中心小学 安全管理（期限 2025-10-20）"
    assert [t for t, _ in _told(school_clerk)][1:] == [returned, returned]
    assert Notification.objects.filter(recipient=school_clerk, url=item_url).count() == 2
    assert len(_told(inspector)) == 2
    assert not _told(outsider) and not _told(town_officer)
    # and each link opens for the one it was sent to; the notice leads on to its items
    for user in (school_clerk, inspector):
        client.force_login(user)
        for _, url in _told(user):
            assert client.get(url).status_code == 200
    page = client.get(notice_url).content.decode()
    assert all(f'href="/supervision/items/{i.pk}/"' in page for i in items)


def test_the_notice_is_e_mailed_when_issued_not_with_the_next_days_reminders(
    capture, items, inspector, school_clerk, mailoutbox
):
    school_clerk.email = "clerk@example.cn"
    school_clerk.save()
    with capture():
        notice = services.notice_issue(actor=inspector, items=items, issued_on=ISSUED)
    [mail] = mailoutbox
    assert mail.to == ["clerk@example.cn"]
    assert f"整改通知书 {notice.label}：甲镇中心小学，2 项待整改" in mail.subject
    assert f"/supervision/notices/{notice.pk}/" in mail.body


def test_a_refused_step_tells_no_one(capture, items, inspector, school_clerk):
    with capture(), pytest.raises(ValidationError):
        services.notice_issue(actor=inspector, items=items, issued_on=dt.date(2025, 9, 1))
    services.notice_issue(actor=inspector, items=items, issued_on=ISSUED)
    item = items[0]
    item.refresh_from_db()
    with capture(), pytest.raises(ValidationError):
        services.item_answer(actor=school_clerk, item=item, version=item.version, text="好")
    assert not Notification.objects.exists()


def test_a_notice_issued_by_the_bureau_brings_the_answer_to_it_too(
    capture, items, district_admin, inspector, school_clerk
):
    services.notice_issue(actor=district_admin, items=items, issued_on=ISSUED)
    item = items[0]
    item.refresh_from_db()
    with capture():
        services.item_answer(
            actor=school_clerk, item=item, version=item.version, text="已清理消防通道杂物。"
        )
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "inspector",
        "district_admin",
    }


def test_each_step_settles_the_items_notices_and_closing_settles_the_rest(
    capture, items, inspector, school_clerk
):
    services.notice_issue(actor=inspector, items=items, issued_on=ISSUED)
    item = items[0]
    item_url = f"/supervision/items/{item.pk}/"

    def unread(user):
        return Notification.objects.filter(recipient=user, url=item_url, read_at__isnull=True)

    item.refresh_from_db()
    with capture():
        services.item_answer(
            actor=school_clerk, item=item, version=item.version, text="已清理杂物。"
        )
    assert unread(inspector).count() == 1
    item.refresh_from_db()
    with capture():
        services.item_return(
            actor=inspector, item=item, version=item.version, reason="通道仍有杂物"
        )
    # the answer has been dealt with; the return waits on the school
    assert (unread(inspector).count(), unread(school_clerk).count()) == (0, 1)
    item.refresh_from_db()
    with capture():
        services.item_answer(
            actor=school_clerk, item=item, version=item.version, text="已再次清理。"
        )
    item.refresh_from_db()
    with capture():
        services.item_close(actor=inspector, item=item, version=item.version, on=ISSUED)
    assert not unread(inspector).exists() and not unread(school_clerk).exists()
    assert Notification.objects.filter(url=item_url).count() == 3  # read, not gone
