import datetime as dt

import pytest
from django.utils import timezone

from ruraledu.channels.choices import ChannelKind, DeliveryStatus
from ruraledu.channels.models import ChannelDelivery, WebhookChannel
from ruraledu.channels.services import deliveries_send_due
from ruraledu.core.crypto import normalise_id
from ruraledu.reporting.reminders import notify
from ruraledu.students.models import StudentPerson

from .mock_robot import MockRobot

SECRET = "SEC0123456789abcdef"
CHILD_ID = "37030220150501123X"


@pytest.fixture
def robot():
    with MockRobot() as server:
        yield server


@pytest.fixture
def signed_robot():
    with MockRobot(secret=SECRET) as server:
        yield server


def _channel(unit, robot, kind=ChannelKind.WECOM, **extra):
    return WebhookChannel.objects.create(
        name="测试群", kind=kind, org_unit=unit, url=robot.url, secret=robot.secret, **extra
    )


def _notify(users, concerns, title="进展报告即将截止：“项目一”2026年第1季度", key="k1"):
    return notify(
        recipients=users,
        concerns=concerns,
        kind="due_soon",
        title=title,
        url="/reporting/mine/",
        dedupe_key=key,
    )


def test_it_sends_a_signed_dingtalk_markdown_message(school_clerk, school_a, signed_robot):
    # given
    _channel(school_a.org_unit, signed_robot, kind=ChannelKind.DINGTALK)
    _notify([school_clerk], school_a.org_unit)
    # when
    sent = deliveries_send_due()
    # then
    assert sent == 1
    assert signed_robot.bad_signatures == 0
    request = signed_robot.requests[0]
    assert request["query"]["access_token"] == "test-token"
    assert request["body"]["msgtype"] == "markdown"
    assert request["body"]["markdown"]["title"] == "进展报告即将截止：“项目一”2026年第1季度"
    assert "/reporting/mine/" in request["body"]["markdown"]["text"]
    assert ChannelDelivery.objects.get().status == DeliveryStatus.SENT


def test_a_wrong_dingtalk_secret_is_a_failed_attempt(school_clerk, school_a, signed_robot):
    WebhookChannel.objects.create(
        name="群",
        kind=ChannelKind.DINGTALK,
        org_unit=school_a.org_unit,
        url=signed_robot.url,
        secret="wrong",
    )
    _notify([school_clerk], school_a.org_unit)
    assert deliveries_send_due() == 0
    delivery = ChannelDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert "310000" in delivery.last_error


def test_it_sends_wecom_markdown_and_text(school_clerk, school_a, robot):
    WebhookChannel.objects.create(
        name="甲群", kind=ChannelKind.WECOM, org_unit=school_a.org_unit, url=robot.url
    )
    WebhookChannel.objects.create(
        name="乙群",
        kind=ChannelKind.WECOM,
        org_unit=school_a.org_unit,
        url=robot.url,
        markdown=False,
    )
    _notify([school_clerk], school_a.org_unit)
    assert deliveries_send_due() == 2
    bodies = sorted((r["body"] for r in robot.requests), key=lambda b: b["msgtype"])
    assert bodies[0] == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**进展报告即将截止：“项目一”2026年第1季度**\n"
            "[登录平台查看](http://127.0.0.1:8000/reporting/mine/)"
        },
    }
    assert bodies[1] == {
        "msgtype": "text",
        "text": {
            "content": "进展报告即将截止：“项目一”2026年第1季度\n"
            "查看：http://127.0.0.1:8000/reporting/mine/"
        },
    }


def test_it_retries_after_a_500_with_back_off_then_succeeds(school_clerk, school_a, robot):
    # given
    _channel(school_a.org_unit, robot)
    robot.statuses = [500]
    _notify([school_clerk], school_a.org_unit)
    start = timezone.now()
    # when: the first try fails
    assert deliveries_send_due(now=start) == 0
    delivery = ChannelDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.RETRYING,
        1,
        "HTTP 500",
    )
    assert delivery.next_attempt_at == start + dt.timedelta(seconds=30)
    # then: nothing is tried before the wait is over, and the retry goes through
    assert deliveries_send_due(now=start + dt.timedelta(seconds=10)) == 0
    assert len(robot.requests) == 1
    assert deliveries_send_due(now=start + dt.timedelta(seconds=31)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.SENT,
        2,
        "",
    )


def test_it_gives_up_after_the_last_attempt(school_clerk, school_a, robot, settings):
    # given
    settings.CHANNEL_MAX_ATTEMPTS = 3
    _channel(school_a.org_unit, robot)
    robot.statuses = [500, 502, 503, 500]
    _notify([school_clerk], school_a.org_unit)
    now = timezone.now()
    waits = []
    # when
    for _ in range(5):
        deliveries_send_due(now=now)
        delivery = ChannelDelivery.objects.get()
        waits.append(delivery.next_attempt_at - now)
        now = delivery.next_attempt_at + dt.timedelta(seconds=1)
    # then: 30 s, then 60 s, then given up (no fourth request)
    assert len(robot.requests) == 3
    assert waits[:2] == [dt.timedelta(seconds=30), dt.timedelta(seconds=60)]
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.FAILED,
        3,
        "HTTP 503",
    )


def test_one_message_per_channel_and_none_twice(school_clerk, school_a, school_b, outsider, robot):
    # given: a second clerk at the same school and a channel at another school
    from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory

    clerk2 = UserFactory(username="clerk2")
    RoleAssignmentFactory(user=clerk2, role="school_clerk", org_unit=school_a.org_unit)
    _channel(school_a.org_unit, robot)
    other = _channel(school_b.org_unit, robot)
    # when
    _notify([school_clerk, clerk2], school_a.org_unit)
    _notify([school_clerk, clerk2], school_a.org_unit)
    deliveries_send_due()
    # then
    assert len(robot.requests) == 1
    assert not ChannelDelivery.objects.filter(channel=other).exists()


def test_no_id_number_or_pupil_name_leaves(school_clerk, school_a, robot):
    # given
    child = StudentPerson(name="王小明", sex="1")
    child.set_id_number(CHILD_ID)
    child.save()
    _channel(school_a.org_unit, robot)
    # when
    _notify(
        [school_clerk],
        school_a.org_unit,
        title=f"控辍保学：王小明（{normalise_id(CHILD_ID)}）连续缺课 3 天",
    )
    deliveries_send_due()
    # then
    sent = robot.requests[0]["body"]["markdown"]["content"]
    assert "王小明" not in sent
    assert "37030220150501123" not in sent
    assert "连续缺课 3 天" in sent
    delivery = ChannelDelivery.objects.get()
    assert delivery.redacted is True
    assert delivery.title == "控辍保学：＊＊（＊＊）连续缺课 3 天"


def test_the_notice_body_never_leaves(school_clerk, school_a, robot):
    _channel(school_a.org_unit, robot)
    notify(
        recipients=[school_clerk],
        concerns=school_a.org_unit,
        kind="due_soon",
        title="个案提醒",
        body="学生张三，身份证号 370302201505011234",
        url="/care/1/",
        dedupe_key="b1",
    )
    deliveries_send_due()
    assert "张三" not in str(robot.requests[0]["body"])
    assert "3703022015" not in str(robot.requests[0]["body"])


def test_a_department_channel_gets_its_reporters_notices(
    department_reporter, department, school_clerk, robot
):
    WebhookChannel.objects.create(
        name="卫健群", kind=ChannelKind.WECOM, department=department, url=robot.url
    )
    _notify([department_reporter, school_clerk], department)
    assert deliveries_send_due() == 1
    assert ChannelDelivery.objects.get().channel.department == department


def test_a_channel_change_in_the_admin_is_audited(client, district, robot):
    from ruraledu.accounts.tests.factories import UserFactory
    from ruraledu.audit.models import AuditEvent

    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        "/admin/channels/webhookchannel/add/",
        {
            "name": "区教体局群",
            "kind": ChannelKind.WECOM,
            "org_unit": district.pk,
            "url": robot.url,
            "secret": "",
            "markdown": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(content_type__model="webhookchannel")
    assert event.after["name"] == "区教体局群"
    assert "url" not in event.after


def test_a_notice_is_sent_by_the_task_once_committed(
    school_clerk, school_a, robot, django_capture_on_commit_callbacks
):
    # given
    _channel(school_a.org_unit, robot)
    # when: the notice's transaction commits (tests run tasks immediately)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([school_clerk], school_a.org_unit)
    # then
    assert len(robot.requests) == 1
    assert ChannelDelivery.objects.get().status == DeliveryStatus.SENT


def test_a_retry_is_scheduled_on_a_backend_that_defers(school_clerk, school_a, robot, settings):
    # given: the database worker's backend, which runs tasks later
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    _channel(school_a.org_unit, robot)
    robot.statuses = [500]
    _notify([school_clerk], school_a.org_unit)
    # when
    now = timezone.now()
    deliveries_send_due(now=now)
    # then: one run waits for the back-off
    task = DBTaskResult.objects.get()
    assert task.run_after == ChannelDelivery.objects.get().next_attempt_at
    assert task.task_path.endswith("send_due_deliveries")


def test_a_city_bureau_has_its_robot_for_its_own_users(db, robot):
    from ruraledu.accounts.choices import Role
    from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
    from ruraledu.orgunits.choices import OrgUnitKind
    from ruraledu.orgunits.tests.factories import OrgUnitFactory

    city = OrgUnitFactory(code="C", name="示例市", kind=OrgUnitKind.CITY, parent=None)
    leader = UserFactory(username="city_leader")
    RoleAssignmentFactory(user=leader, role=Role.DISTRICT_LEADER, org_unit=city)
    channel = WebhookChannel(name="市局群", kind=ChannelKind.WECOM, org_unit=city, url=robot.url)
    channel.full_clean()  # a city is a unit a robot may belong to
    channel.save()
    _notify([leader], city)
    assert deliveries_send_due() == 1
    assert ChannelDelivery.objects.get().channel == channel
