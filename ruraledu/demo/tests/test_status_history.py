import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from ruraledu.indicators.evaluation import evaluate_targets
from ruraledu.indicators.models import IndicatorValue, TargetState, TargetStatusChange
from ruraledu.indicators.selectors import target_statuses_at
from ruraledu.plans.choices import TargetKind
from ruraledu.plans.models import Plan, Target


def history():
    return list(
        TargetStatusChange.objects.order_by("pk").values_list(
            "target_id", "previous", "status", "changed_at"
        )
    )


def test_the_demo_keeps_a_status_history_of_its_school_years(db):
    call_command("setup_demo", scale="tiny")
    years = sorted(set(IndicatorValue.objects.values_list("year", flat=True)))
    plan = Plan.objects.get()
    measured = Target.objects.filter(plan=plan, kind=TargetKind.MEASURED)
    # each measured target was first judged once the first year's figures were in
    first = timezone.make_aware(dt.datetime(years[0], 12, 1, 9))
    assert set(
        TargetStatusChange.objects.filter(previous="").values_list("changed_at", flat=True)
    ) >= {first}
    assert set(
        TargetStatusChange.objects.filter(changed_at=first).values_list("target_id", flat=True)
    ) == set(measured.values_list("pk", flat=True))
    # so a quarter ended before the day of set-up reports every measured target's status
    quarter_end = timezone.make_aware(dt.datetime(years[-1] + 1, 10, 1))
    assert len(target_statuses_at(plan=plan, at=quarter_end)) == measured.count()
    # milestones are judged from today only: their progress says nothing of the past
    today = timezone.now() - dt.timedelta(days=1)
    milestones = TargetStatusChange.objects.filter(target__kind=TargetKind.MILESTONE)
    assert milestones.exists() and not milestones.filter(changed_at__lt=today).exists()
    # and the stored states are today's evaluation
    assert TargetState.objects.count() == Target.objects.count()
    assert evaluate_targets() == 0
    # set up again, the history is kept as it is
    before = history()
    call_command("setup_demo", scale="tiny")
    assert history() == before


def test_a_database_that_has_judged_targets_keeps_its_history(db):
    # given an install whose targets were first judged today (its own use, not the replay)
    call_command("setup_demo", scale="tiny")
    TargetStatusChange.objects.all().delete()
    TargetState.objects.all().delete()
    evaluate_targets()
    before = history()
    # when the demo set-up runs on it, nothing of its history is replaced or invented
    call_command("setup_demo", scale="tiny")
    assert history() == before
    assert not TargetStatusChange.objects.filter(
        changed_at__lt=timezone.now() - dt.timedelta(days=1)
    ).exists()
