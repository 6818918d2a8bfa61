"""重新求解 clicked twice (a double click, a second tab, two users): while the scenario's solve
is queued or running, another is refused with a message, and only one solve is queued."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import race
from ruraledu.audit.models import AuditEvent
from ruraledu.planning import services, tasks
from ruraledu.planning.choices import ScenarioStatus
from ruraledu.planning.models import Scenario

from .conftest import inputs


@pytest.fixture
def scenario(district, district_admin):
    return Scenario.objects.create(
        unit=district, name="方案甲", year=2025, inputs=inputs(), created_by=district_admin
    )


@pytest.fixture
def queued(monkeypatch):
    """The solves handed to the worker (none is run here)."""
    solves = []

    class Worker:
        @staticmethod
        def enqueue(**kwargs):
            solves.append(kwargs)

    monkeypatch.setattr(tasks, "run_scenario", Worker)
    return solves


def _started(scenario) -> int:
    return AuditEvent.objects.filter(
        object_id=str(scenario.pk), summary__startswith="开始求解"
    ).count()


def test_a_second_click_while_the_solve_is_queued_is_told_and_queues_nothing(
    client, scenario, district_admin, queued, django_capture_on_commit_callbacks
):
    # given the bureau on a solved-once scenario's page
    client.force_login(district_admin)
    url = reverse("planning:scenario_run", args=[scenario.pk])
    # when it clicks 重新求解 twice, the first solve not yet taken up by the worker
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, follow=True)
    # then the first starts a solve, the second is told one is under way
    assert "已开始重新求解。" in first.content.decode()
    page = second.content.decode()
    assert "该方案正在求解（排队中），未重复求解；完成后本页显示结果。" in page
    assert "已开始重新求解。" not in page
    # and one solve is queued and audited
    assert queued == [{"scenario_id": scenario.pk}]
    assert _started(scenario) == 1
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.QUEUED


def test_a_click_while_the_solve_is_running_is_refused(scenario, district_admin, queued):
    Scenario.objects.filter(pk=scenario.pk).update(
        status=ScenarioStatus.RUNNING, queued_at=timezone.now()
    )
    with pytest.raises(services.ValidationError) as refused:
        services.scenario_run_request(actor=district_admin, scenario=scenario)
    assert refused.value.messages == ["该方案正在求解（计算中），未重复求解；完成后本页显示结果。"]
    assert queued == [] and _started(scenario) == 0


def test_an_edit_whose_solve_another_save_queued_meanwhile_is_saved_and_told(
    client, scenario, district_admin, queued, monkeypatch
):
    # given the same inputs saved by another (a second tab) between this save and its solve
    from ruraledu.planning import plan_data, views

    from .test_views import SCHOOLS, _post

    monkeypatch.setattr(plan_data, "district_schools", lambda year, unit: SCHOOLS)
    original = views.scenario_update

    def saved_and_queued_by_another(**kwargs):
        saved = original(**kwargs)
        services.scenario_run_request(actor=district_admin, scenario=saved)
        return saved

    monkeypatch.setattr(views, "scenario_update", saved_and_queued_by_another)
    client.force_login(district_admin)
    # when this save reaches its solve
    url = reverse("planning:scenario_edit", args=[scenario.pk])
    response = client.post(url, _post(name="方案乙"), follow=True)
    # then the inputs are saved, the page says a solve is under way, one solve is queued
    page = response.content.decode()
    assert "方案已保存。该方案正在求解（排队中），未重复求解；完成后本页显示结果。" in page
    scenario.refresh_from_db()
    assert (scenario.name, scenario.status) == ("方案乙", ScenarioStatus.QUEUED)
    assert _started(scenario) == 1


@pytest.mark.parametrize("status", [ScenarioStatus.DONE, ScenarioStatus.FAILED])
def test_a_finished_solve_can_be_run_again(scenario, district_admin, queued, status):
    Scenario.objects.filter(pk=scenario.pk).update(status=status)
    services.scenario_run_request(actor=district_admin, scenario=scenario)
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.QUEUED and _started(scenario) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks (SQLite runs writes one by one)"
)
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_queue_one_solve(scenario, district_admin, queued, monkeypatch):
    def solve_again():
        services.scenario_run_request(actor=district_admin, scenario=scenario)
        return "ok"

    # the first pauses after marking the scenario queued, its transaction open
    outcomes = race(monkeypatch, services, "audit_record", first=solve_again, second=solve_again)
    assert outcomes == {
        "first": "ok",
        "second": "该方案正在求解（排队中），未重复求解；完成后本页显示结果。",
    }
    assert queued == [{"scenario_id": scenario.pk}]
    assert _started(scenario) == 1


@pytest.mark.parametrize("status", [ScenarioStatus.QUEUED, ScenarioStatus.RUNNING])
def test_a_solve_asked_for_longer_ago_than_it_can_take_may_be_asked_again(
    scenario, district_admin, queued, status, django_capture_on_commit_callbacks
):
    # given a solve lost on the way (its worker stopped): asked for longer ago than its time
    # limit and the queue's wait together, still queued or running
    lost = timezone.now() - dt.timedelta(seconds=scenario.inputs["time_limit"])
    lost -= services.QUEUE_WAIT + dt.timedelta(minutes=1)
    Scenario.objects.filter(pk=scenario.pk).update(status=status, queued_at=lost)
    # when 重新求解 is clicked, then a new solve is queued
    with django_capture_on_commit_callbacks(execute=True):
        services.scenario_run_request(actor=district_admin, scenario=scenario)
    assert queued == [{"scenario_id": scenario.pk}] and _started(scenario) == 1
    # but not yet once that one is asked for
    with pytest.raises(services.ValidationError):
        services.scenario_run_request(actor=district_admin, scenario=scenario)
    assert len(queued) == 1
