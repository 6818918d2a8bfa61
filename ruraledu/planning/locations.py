"""School coordinates the bureau keeps (scoped, audited) and the distances 走教 reads from them:
the straight line between two schools times a road factor, where no distance is typed in."""

import math
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.orgunits.models import School

from .models import SchoolLocation
from .services import _ensure_planning

ROAD_FACTOR = 1.3  # roads between village schools run longer than the straight line
FIELDS = ("latitude", "longitude")


def _coordinate(raw, label: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label}必须是数字（如 36.7981），收到“{raw}”。") from None
    if not value.is_finite():
        raise ValidationError(f"{label}必须是数字（如 36.7981），收到“{raw}”。")
    return value.quantize(Decimal("0.000001"))


@transaction.atomic
def location_set(*, actor, school_id: int, latitude, longitude) -> SchoolLocation:
    """Set a school's coordinates; the school must be in the actor's scope (else 404)."""
    _ensure_planning(actor)
    school = School.objects.for_user(actor).filter(pk=school_id).select_related("org_unit").first()
    if school is None:
        raise Http404("学校不存在")
    name = school.org_unit.name
    location = SchoolLocation.objects.select_for_update().filter(school=school).first()
    before = snapshot(location, FIELDS) if location else {}
    location = location or SchoolLocation(school=school)
    location.latitude = _coordinate(latitude, f"{name}的纬度")
    location.longitude = _coordinate(longitude, f"{name}的经度")
    location.updated_by = actor
    try:
        location.full_clean(exclude=["updated_by", "school"])
    except ValidationError as exc:
        messages = [f"{name}：{m}" for m in exc.messages]
        raise ValidationError(messages) from None
    location.save()
    audit_record(
        actor=actor,
        instance=location,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after=snapshot(location, FIELDS),
        summary=f"设置{name}的坐标",
    )
    return location


def kilometres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Road kilometres between two (latitude, longitude) points: haversine × ROAD_FACTOR."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return round(2 * 6371.0 * math.asin(math.sqrt(h)) * ROAD_FACTOR, 1)


def coordinate_distances(units: list[int]) -> dict[tuple[int, int], float]:
    """Every pair of these schools that both have coordinates, keyed by sorted unit pair."""
    points = {
        s: (float(lat), float(lon))
        for s, lat, lon in SchoolLocation.objects.filter(school_id__in=units).values_list(
            "school_id", "latitude", "longitude"
        )
    }
    found = sorted(points)
    return {
        (a, b): kilometres(points[a], points[b])
        for i, a in enumerate(found)
        for b in found[i + 1 :]
    }


@transaction.atomic
def locations_set(*, actor, rows: list[tuple[int, str, str]]) -> int:
    """Several schools at once, all or nothing: every bad line is reported, none is stored.
    Rows left blank or unchanged are skipped. Returns how many were written."""
    _ensure_planning(actor)
    current = {
        s: (lat, lon)
        for s, lat, lon in SchoolLocation.objects.filter(
            school_id__in=[r[0] for r in rows]
        ).values_list("school_id", "latitude", "longitude")
    }
    errors, written = [], 0
    for school_id, latitude, longitude in rows:
        if not str(latitude).strip() and not str(longitude).strip():
            continue
        old = current.get(school_id)
        try:
            if old and (_coordinate(latitude, ""), _coordinate(longitude, "")) == old:
                continue
        except ValidationError:
            pass  # reported with the school's name below
        try:
            location_set(actor=actor, school_id=school_id, latitude=latitude, longitude=longitude)
            written += 1
        except ValidationError as exc:
            errors += exc.messages
    if errors:
        raise ValidationError(errors)
    return written
