"""The demo district comes with a births list and one forecast run; a second setup adds nothing."""

from django.core.management import call_command

from ruraledu.audit.models import AuditEvent
from ruraledu.forecast.models import BacktestRow, BirthRecord, ForecastCell, ForecastRun


def test_the_demo_has_births_and_a_forecast_and_setup_twice_adds_nothing(db):
    # given
    call_command("setup_demo", scale="tiny")
    counts = (BirthRecord.objects.count(), ForecastRun.objects.count(), AuditEvent.objects.count())

    # when
    call_command("setup_demo", scale="tiny")

    # then
    run = ForecastRun.objects.get()
    assert counts[0] > 0 and counts[1] == 1
    assert ForecastCell.objects.filter(run=run).exists()
    assert BacktestRow.objects.filter(run=run).exists()
    assert run.backtest_mape is not None
    after = (BirthRecord.objects.count(), ForecastRun.objects.count(), AuditEvent.objects.count())
    assert after == counts
