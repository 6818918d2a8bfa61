"""Reads of the audit trail; the bureau only."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404

from ruraledu.accounts.policy import is_bureau

from .choices import AuditAction
from .models import AuditEvent, name_stored_ids


def audit_event_list(
    *,
    user,
    text: str = "",
    content_type_id: int | None = None,
    actor: str = "",
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
):
    """Search the trail: free text (record or note), record type, operator, action, dates."""
    if not is_bureau(user):
        raise PermissionDenied("只有区教体局可以查阅审计记录。")
    events = AuditEvent.objects.select_related("content_type")
    if text:
        events = events.filter(
            Q(object_repr__icontains=text) | Q(summary__icontains=text) | Q(object_id=text)
        )
    if content_type_id:
        events = events.filter(content_type_id=content_type_id)
    if actor:
        events = events.filter(actor_name__icontains=actor)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events.order_by("-at", "-pk")


def audit_record_types() -> list[ContentType]:
    """The record types that have audit rows, for the search form."""
    ids = AuditEvent.objects.exclude(content_type=None).values("content_type").distinct()
    return sorted(ContentType.objects.filter(pk__in=ids), key=lambda ct: str(ct))


def _imports_that_created(label: str, object_id: str) -> list[AuditEvent]:
    """The roster import rows that list this record among the ones they created (by id
    range: one row per import, so few to look through)."""
    if not object_id.isdecimal():
        return []
    pk = int(object_id)
    imports = AuditEvent.objects.filter(action=AuditAction.IMPORT, after__has_key="created_records")
    return [
        event
        for event in imports
        if any(first <= pk <= last for first, last in event.after["created_records"].get(label, ()))
    ]


def audit_record_history(*, user, app_label: str, model: str, object_id: str) -> dict:
    """Every audit row of one record, oldest first. Outside the bureau: 404."""
    if not is_bureau(user):
        raise Http404("没有这条记录，或不在您的权限范围内。")
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist as exc:
        raise Http404("没有这种记录。") from exc
    model_class = content_type.model_class()
    if model_class is not None:
        try:
            # a key of the wrong type ("abc" for a numeric id) is a missing page, not an error
            model_class._meta.pk.to_python(object_id)
        except ValidationError as exc:
            raise Http404("记录编号不正确。") from exc
    events = list(
        AuditEvent.objects.for_record(content_type=content_type, object_id=object_id).order_by(
            "at", "pk"
        )
    )
    record = None
    if model_class is not None:
        record = model_class._default_manager.filter(pk=object_id).first()
        events = sorted(
            [*_imports_that_created(model_class._meta.label, object_id), *events],
            key=lambda e: (e.at, e.pk),
        )
    if not events and record is None:
        raise Http404("没有这条记录的审计信息。")
    return {
        "content_type": content_type,
        "type_label": model_class._meta.verbose_name if model_class else content_type.model,
        "object_id": object_id,
        "record": record,
        "label": str(record) if record is not None else (events[-1].object_repr if events else ""),
        "events": name_stored_ids(events),
    }
