"""Robot addresses and signing secrets are encrypted at rest: the column never holds them in
clear, code reads them back, and rows saved before the change are encrypted by the migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ruraledu.channels.choices import ChannelKind
from ruraledu.channels.models import WebhookChannel

KEY = "3f1c0a52-robot-key-7d9e"
URL = f"https://oapi.dingtalk.com/robot/send?access_token={KEY}"
SECRET = "SECd0c1e2f3a4b5c6d7e8f9"


def stored(pk: int) -> tuple[bytes, bytes]:
    """The url and secret columns exactly as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT url, secret FROM channels_webhookchannel WHERE id = %s", [pk])
        url, secret = cursor.fetchone()
    return tuple(v.encode() if isinstance(v, str) else bytes(v) for v in (url, secret))


def test_the_columns_hold_no_clear_address_or_secret(school_a):
    # given a signed 钉钉 robot saved through the model
    channel = WebhookChannel.objects.create(
        name="甲校群", kind=ChannelKind.DINGTALK, org_unit=school_a.org_unit, url=URL, secret=SECRET
    )
    # then neither the key in the address nor the secret is in the row
    url, secret = stored(channel.pk)
    for column in (url, secret):
        assert KEY.encode() not in column
        assert SECRET.encode() not in column
        assert b"dingtalk" not in column
    # and code reads both back in clear
    again = WebhookChannel.objects.get(pk=channel.pk)
    assert (again.url, again.secret) == (URL, SECRET)


def test_the_bureau_configures_a_robot_in_the_admin_and_it_is_stored_encrypted(
    admin_client, school_a
):
    # given the admin's add form
    response = admin_client.post(
        "/admin/channels/webhookchannel/add/",
        {
            "name": "甲校群",
            "kind": ChannelKind.DINGTALK,
            "org_unit": school_a.org_unit.pk,
            "url": URL,
            "secret": SECRET,
            "markdown": "on",
            "is_active": "on",
        },
    )
    # then the robot is saved, readable, and encrypted in its row
    assert response.status_code == 302, response.content.decode()[:2000]
    channel = WebhookChannel.objects.get()
    assert (channel.url, channel.secret) == (URL, SECRET)
    assert KEY.encode() not in stored(channel.pk)[0]
    # and its change page shows the address to the bureau, who may edit it
    page = admin_client.get(f"/admin/channels/webhookchannel/{channel.pk}/change/")
    assert URL.replace("&", "&amp;") in page.content.decode()


def test_an_address_that_is_not_a_web_address_is_refused_in_the_admin(admin_client, school_a):
    response = admin_client.post(
        "/admin/channels/webhookchannel/add/",
        {
            "name": "甲校群",
            "kind": ChannelKind.WECOM,
            "org_unit": school_a.org_unit.pk,
            "url": "ftp://robot.example/send",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not WebhookChannel.objects.exists()


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_robots_saved_in_clear(district):
    # given a robot saved before the change, address and secret in clear
    old = _migrate([("channels", "0001_initial")])
    unit = old.get_model("orgunits", "OrgUnit").objects.get(pk=district.pk)
    pk = (
        old.get_model("channels", "WebhookChannel")
        .objects.create(name="区局群", kind="dingtalk", org_unit=unit, url=URL, secret=SECRET)
        .pk
    )
    assert KEY.encode() in stored(pk)[0]
    # when the migrations run
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    # then the row is encrypted and reads back the same
    url, secret = stored(pk)
    assert KEY.encode() not in url
    assert SECRET.encode() not in secret
    channel = WebhookChannel.objects.get(pk=pk)
    assert (channel.url, channel.secret) == (URL, SECRET)
