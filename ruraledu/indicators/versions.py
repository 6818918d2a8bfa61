"""A version of the computed data: changes whenever a stored value, a target status or the state
of a school year (started, checked, confirmed) changes, so that pages built from them can be
cached until then (the key carries the version)."""

from django.db.models import Count, Max, Q

from ruraledu.core.models import SchoolYear

from .models import IndicatorValue, TargetState


def data_version() -> str:
    values = IndicatorValue.objects.aggregate(at=Max("computed_at"))["at"]
    states = TargetState.objects.aggregate(at=Max("evaluated_at"))["at"]
    years = SchoolYear.objects.aggregate(
        n=Count("year", distinct=True),
        collecting=Count("year", distinct=True, filter=Q(state="collecting")),
        checks=Count("checks"),
    )
    return (
        f"{values.timestamp() if values else 0}-{states.timestamp() if states else 0}"
        f"-{years['n']}.{years['collecting']}.{years['checks']}"
    )
