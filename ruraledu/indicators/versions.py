"""A version of the computed data: changes whenever a stored value or a target status changes,
so that pages built from them can be cached until then (the key carries the version)."""

from django.db.models import Max

from .models import IndicatorValue, TargetState


def data_version() -> str:
    values = IndicatorValue.objects.aggregate(at=Max("computed_at"))["at"]
    states = TargetState.objects.aggregate(at=Max("evaluated_at"))["at"]
    return f"{values.timestamp() if values else 0}-{states.timestamp() if states else 0}"
