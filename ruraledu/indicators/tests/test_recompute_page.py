"""The recompute page says so when recomputes wait with no worker taking their queue."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from ruraledu.indicators.models import RecomputeJob

WARNING = "有计算任务排队超过 10 分钟仍未开始"


def _queued(minutes_ago: int) -> RecomputeJob:
    job = RecomputeJob.objects.create(reason="导入")
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    RecomputeJob.objects.filter(pk=job.pk).update(created_at=at)
    return job


def test_a_recompute_left_waiting_points_at_the_missing_worker(client, district_admin):
    client.force_login(district_admin)
    url = reverse("indicators:recompute")
    _queued(minutes_ago=2)
    assert WARNING not in client.get(url).content.decode()
    stale = _queued(minutes_ago=11)
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert WARNING in page and "ruraledu-recompute" in page
    # while a long recompute runs, the worker is there: those behind it just wait
    running = _queued(minutes_ago=30)
    RecomputeJob.objects.filter(pk=running.pk).update(status=RecomputeJob.Status.RUNNING)
    assert WARNING not in client.get(url).content.decode()
    RecomputeJob.objects.filter(pk=running.pk).update(status=RecomputeJob.Status.DONE)
    assert WARNING in client.get(url).content.decode()
    # once a worker takes it, the warning goes
    RecomputeJob.objects.filter(pk=stale.pk).update(status=RecomputeJob.Status.DONE)
    assert WARNING not in client.get(url).content.decode()


def test_a_queued_recompute_says_so_beside_its_empty_bar(client, district_admin):
    # the text once sat inside the bar: at 0% the bar has no width and hid it
    client.force_login(district_admin)
    _queued(minutes_ago=1)
    page = client.get(reverse("indicators:recompute")).content.decode()
    assert '<div data-testid="recompute-status">排队中 0%</div>' in page
    assert 'style="width: 0%"></div>' in page
