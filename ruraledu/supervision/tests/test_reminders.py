"""Reminders before a rectification deadline, counted in working days on the bureau's calendar
(National Day 2025 off, 28 September worked): to the school's clerks and its inspector, once."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.models import Notification

from .. import services
from .conftest import items_of, signed_visit_with_findings

DEADLINE = dt.date(2025, 10, 10)  # a Friday after the National Day holidays


@pytest.fixture
def notified(inspector, school_a, kind, school_clerk):
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=2)
    items = items_of(findings, inspector, deadline=DEADLINE)
    services.notice_issue(actor=inspector, items=items, issued_on=dt.date(2025, 9, 23))
    return items


def test_the_school_and_its_inspector_are_reminded_three_working_days_ahead_once(
    notified, inspector, school_clerk
):
    # given 29 September: 30 September, (1–8 October off,) 9 and 10 October are the three
    # working days up to the deadline
    today = dt.date(2025, 9, 29)

    # when the reminders run twice
    first = services.items_remind(today=today)
    second = services.items_remind(today=today)

    # then each item reaches the clerk and the inspector once
    assert (first, second) == (4, 0)
    notices = Notification.objects.filter(kind=NotificationKind.TASK)
    assert {n.recipient for n in notices} == {inspector, school_clerk}
    title = notices.filter(recipient=school_clerk).order_by("pk").first().title
    assert title == "整改期限将到：甲镇中心小学 安全管理（期限 2025-10-10，还有 3 个工作日）"
    assert {n.url for n in notices} == {f"/supervision/items/{i.pk}/" for i in notified}


def test_nobody_is_reminded_too_early_after_the_deadline_or_of_an_answered_item(
    notified, school_clerk
):
    # given the deadline four working days away (28 September, a Sunday, is worked)
    assert services.items_remind(today=dt.date(2025, 9, 26)) == 0
    # and the day after the deadline
    assert services.items_remind(today=dt.date(2025, 10, 11)) == 0
    # and an answered item on the day itself: only the other one is reminded
    first, second = notified
    services.item_answer(actor=school_clerk, item=first, version=None, text="已清理消防通道。")
    assert services.items_remind(today=DEADLINE) == 2
    assert Notification.objects.filter(title__contains="今天").count() == 2


@override_settings(SUPERVISION_REMIND_DAYS=10)
def test_the_period_is_the_bureaus_setting_and_the_daily_command_sends_it(notified):
    # given ten working days ahead of 22 September reaches past 10 October
    out = StringIO()

    # when the daily command runs
    call_command("escalate_rectification", "--today", "2025-09-24", stdout=out)

    # then
    assert out.getvalue().strip() == "发送期限提醒 4 条，升级 0 项整改事项。"


def test_a_reminder_reaches_the_schools_robot_not_another_schools(
    notified, school_clerk, school_a, school_b
):
    from ruraledu.accounts.choices import Role
    from ruraledu.accounts.tests.factories import RoleAssignmentFactory
    from ruraledu.channels.choices import ChannelKind
    from ruraledu.channels.models import ChannelDelivery, WebhookChannel

    # given the clerk also keeps school B's books, and both schools have a robot
    RoleAssignmentFactory(user=school_clerk, role=Role.SCHOOL_CLERK, org_unit=school_b.org_unit)
    for school in (school_a, school_b):
        WebhookChannel.objects.create(
            name=school.org_unit.code,
            kind=ChannelKind.WECOM,
            org_unit=school.org_unit,
            url="https://robot.example/send",
        )
    # when school A's items are reminded of
    services.items_remind(today=dt.date(2025, 9, 29))
    # then only school A's robot hears of them
    reached = ChannelDelivery.objects.values_list("channel__name", flat=True)
    assert set(reached) == {"SA"}
