"""A version of the computed data: changes whenever a stored value, a target status or the state
of a school year (started, checked, confirmed) changes, so that pages built from them can be
cached until then (the key carries the version)."""

import datetime as dt
import hashlib

from django.db.models import Count, Max, Q
from django.utils import timezone

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


def version_label(version: str) -> str:
    """A version as readers see it: when its figures were last computed (local time) and a
    short code that tells apart versions of the same minute. The version itself stays the key."""
    if not version:
        return ""
    try:
        latest = max(float(part) for part in version.split("-")[:2])
    except ValueError:
        return version
    code = hashlib.sha256(version.encode()).hexdigest()[:6]
    if latest <= 0:
        return f"尚无计算结果（编号 {code}）"
    when = timezone.localtime(dt.datetime.fromtimestamp(latest, tz=dt.UTC))
    return f"{when:%Y-%m-%d %H:%M}（编号 {code}）"
