"""The demo's target status history, as the platform would have kept it had it run while the
demo's school years went by: each year's measured targets judged once that year's figures
were in, then as they stand today. Without it every quarterly report before the day of
set-up says no target had been evaluated."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ruraledu.indicators.evaluation import evaluate_targets
from ruraledu.indicators.models import IndicatorValue, TargetState, TargetStatusChange
from ruraledu.plans.models import Target

# the 教育事业统计 figures of a school year (as at 30 September) are in by then
FIGURES_IN = (12, 1)


@transaction.atomic
def status_history_replay() -> int:
    """Replace a history that holds only today's first evaluation by the replayed one (the
    command calls it only on a database that had judged no target before it ran); a history
    with anything older (a demo already replayed, or real use) is left as it is.
    Milestones are judged from today only: their reviewed progress says nothing of the
    past. Returns how many past status changes were recorded."""
    now = timezone.now()
    if TargetStatusChange.objects.filter(changed_at__lt=now - dt.timedelta(days=1)).exists():
        return 0
    TargetStatusChange.objects.all().delete()
    TargetState.objects.all().delete()
    measured = set(
        Target.objects.exclude(indicator_code="").values_list("indicator_code", flat=True)
    )
    changes = 0
    years = IndicatorValue.objects.values_list("year", flat=True).distinct().order_by("year")
    for year in years:
        at = timezone.make_aware(dt.datetime(year, *FIGURES_IN, 9))
        if at < now - dt.timedelta(days=1):
            changes += evaluate_targets(codes=measured, at=at, last_year=year)
    evaluate_targets()
    return changes
