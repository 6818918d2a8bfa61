import pytest
from django.urls import reverse
from django.utils import timezone

from ruraledu.channels.choices import ChannelKind, DeliveryStatus
from ruraledu.channels.models import ChannelDelivery, WebhookChannel

URL = "/channels/"


@pytest.fixture
def failed_delivery(school_a):
    channel = WebhookChannel.objects.create(
        name="甲校群",
        kind=ChannelKind.WECOM,
        org_unit=school_a.org_unit,
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
    )
    return ChannelDelivery.objects.create(
        channel=channel,
        dedupe_key="k",
        title="进展报告已逾期：项目一",
        status=DeliveryStatus.FAILED,
        attempts=6,
        last_error="HTTP 500",
        next_attempt_at=timezone.now(),
    )


def test_the_bureau_sees_failed_deliveries(client, district_admin, failed_delivery):
    assert reverse("channels:channel_list") == URL
    client.force_login(district_admin)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲校群" in html
    assert "HTTP 500" in html
    assert "不再重试" in html


@pytest.mark.parametrize("persona", ["town_officer", "school_clerk", "outsider"])
def test_others_get_a_404(client, persona, request, failed_delivery):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(URL).status_code == 302


def test_the_management_menu_links_the_page_for_the_bureau_only(
    client, district_admin, school_clerk
):
    client.force_login(district_admin)
    assert 'href="/channels/"' in client.get("/reporting/notifications/").content.decode()
    client.force_login(school_clerk)
    assert 'href="/channels/"' not in client.get("/reporting/notifications/").content.decode()
