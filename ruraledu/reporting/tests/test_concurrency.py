"""Two reviewers (or two editors) acting on the same report at the same moment, each on its
own database connection: exactly one succeeds, the other is told, nothing is overwritten."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ruraledu.reporting import services, urging
from ruraledu.reporting.choices import ReportEventKind, ReportStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite 没有行级锁（SELECT … FOR UPDATE），写事务由整库锁串行化；并发审核只在 PostgreSQL 上测试",
    ),
]

HOLD_SECONDS = 0.5


def race(monkeypatch, **actions) -> dict:
    """Run the actions in threads released together; the first to lock the report holds the
    lock a while (inside the service), so the other really waits on the row lock."""
    original = services.report_event_create

    def slow_event(**kwargs):
        event = original(**kwargs)
        time.sleep(HOLD_SECONDS)
        return event

    # every module of the services package that looks the name up gets the slow one
    for module in (services, services.reports, services.attachments, urging):
        if hasattr(module, "report_event_create"):
            monkeypatch.setattr(module, "report_event_create", slow_event)
    barrier = threading.Barrier(len(actions))
    results = {}

    def run(name, action):
        try:
            barrier.wait()
            started = time.monotonic()
            try:
                action()
                results[name] = ("ok", time.monotonic() - started)
            except ValidationError as exc:
                results[name] = (exc.messages[0], time.monotonic() - started)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in actions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_reviewers_at_once_one_wins_the_other_is_told(
    monkeypatch, submitted, district_admin, second_admin, milestone
):
    version = submitted.version
    results = race(
        monkeypatch,
        approve=lambda: services.report_approve(
            report=submitted,
            actor=district_admin,
            expected_version=version,
            confirm_done=[milestone.pk],
        ),
        give_back=lambda: services.report_return(
            report=submitted, actor=second_admin, reason="同时退回", expected_version=version
        ),
    )
    outcomes = [outcome for outcome, _ in results.values()]
    refused = [o for o in outcomes if o != "ok"]
    assert outcomes.count("ok") == 1 and len(refused) == 1
    assert refused[0].startswith("该报告已被其他审核人处理")
    loser = next(elapsed for outcome, elapsed in results.values() if outcome != "ok")
    assert loser >= HOLD_SECONDS * 0.8  # it waited for the winner's row lock
    submitted.refresh_from_db()
    assert submitted.version == version + 1
    kinds = set(submitted.events.values_list("kind", flat=True))
    decided = kinds & {ReportEventKind.APPROVED, ReportEventKind.RETURNED}
    assert len(decided) == 1
    if submitted.status == ReportStatus.APPROVED:
        assert submitted.return_reason == ""
        milestone.refresh_from_db()
        assert milestone.milestone_status == "done"
    else:
        assert submitted.return_reason == "同时退回"


def test_two_editors_saving_the_same_version_one_is_refused(
    monkeypatch, draft, department_reporter
):
    def save(text):
        return lambda: services.report_update(
            report=draft,
            actor=department_reporter,
            expected_version=1,
            work_done=text,
            problems="",
            next_steps="",
        )

    results = race(monkeypatch, first=save("甲的修改"), second=save("乙的修改"))
    outcomes = [outcome for outcome, _ in results.values()]
    refused = [o for o in outcomes if o != "ok"]
    assert outcomes.count("ok") == 1 and len(refused) == 1
    assert "已被他人修改" in refused[0]
    draft.refresh_from_db()
    winner = "甲的修改" if results["first"][0] == "ok" else "乙的修改"
    assert (draft.work_done, draft.version) == (winner, 2)


def test_two_reviewers_urging_the_same_report_at_once_one_is_told(
    monkeypatch, draft, department, department_reporter, district_admin, second_admin
):
    from ruraledu.reporting import urging
    from ruraledu.reporting.models import Notification, ReportUrge

    from .conftest import TODAY

    def urge(actor):
        return lambda: urging.report_urge(
            period=draft.period, actor=actor, department=department, today=TODAY
        )

    results = race(monkeypatch, first=urge(district_admin), second=urge(second_admin))
    outcomes = [outcome for outcome, _ in results.values()]
    refused = [o for o in outcomes if o != "ok"]
    assert outcomes.count("ok") == 1 and len(refused) == 1
    assert "同一份报告每天只能催办一次" in refused[0]
    assert ReportUrge.objects.count() == 1
    assert Notification.objects.filter(recipient=department_reporter, kind="urged").count() == 1
    assert draft.events.filter(kind=ReportEventKind.URGED).count() == 1
