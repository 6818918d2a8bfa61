"""Writing the audit trail. Services of every app call `audit_record` (one record) or
`audit_bulk` (an import) inside their own transaction, so that a change and its audit row are
committed together or not at all."""

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .choices import AuditAction
from .models import AuditEvent

REPR_LENGTH = 200


def _plain(value):
    """A JSON-friendly form of a field value (files by name, decimals as text)."""
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return "（二进制内容）"
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The instance's concrete field values by field name (foreign keys by their id)."""
    wanted = set(fields) if fields is not None else None
    values = {}
    for model_field in instance._meta.concrete_fields:
        if wanted is not None and model_field.name not in wanted:
            continue
        if model_field.primary_key and wanted is None:
            continue
        values[model_field.name] = _plain(model_field.value_from_object(instance))
    return values


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose value differs between `before` and `after`."""
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    return (
        {k: before[k] for k in keys if k in before},
        {k: after[k] for k in keys if k in after},
    )


def _actor_name(actor) -> str:
    if actor is None:
        return "系统"
    full_name = getattr(actor, "full_name", "") or ""
    return f"{full_name}（{actor.get_username()}）" if full_name else actor.get_username()


def audit_record(
    *,
    actor,
    instance: models.Model,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    summary: str = "",
    address: str | None = None,
) -> AuditEvent:
    """Append one audit row about `instance`. For an update only the fields that differ
    between `before` and `after` are kept; `actor` None means a system job."""
    before = _plain(before or {})
    after = _plain(after or {})
    if action == AuditAction.UPDATE:
        before, after = changed(before, after)
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        address=address or None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:REPR_LENGTH],
        summary=summary[:500],
        before=before,
        after=after,
    )
    event.full_clean()
    event.save()
    return event


@dataclass(frozen=True)
class AuditEntry:
    """One row of a bulk change (an import): the record, its action and its values."""

    model: type[models.Model]
    object_id: object
    action: str
    object_repr: str = ""
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)

    @classmethod
    def of(
        cls, instance: models.Model, action: str, before: dict | None = None, after=None
    ) -> "AuditEntry":
        return cls(
            model=type(instance),
            object_id=instance.pk,
            action=action,
            object_repr=str(instance),
            before=before or {},
            after=after if after is not None else snapshot(instance),
        )


def entry_of_write(instance: models.Model, created: bool, before: dict) -> AuditEntry:
    """The audit entry of a record just created, or just updated from the `before` values
    (attribute name -> value before; related objects by their key)."""
    if created:
        return AuditEntry.of(instance, AuditAction.CREATE)
    old = {instance._meta.get_field(name).name: getattr(v, "pk", v) for name, v in before.items()}
    return AuditEntry.of(
        instance,
        AuditAction.UPDATE,
        before={name: _plain(value) for name, value in old.items()},
        after=snapshot(instance, old),
    )


def audit_bulk(
    *,
    actor,
    entries: Iterable[AuditEntry],
    summary: str = "",
    address: str | None = None,
    batch_size: int = 2000,
) -> int:
    """Append one audit row per entry in a few INSERTs; all rows share one batch id.
    Returns the number of rows written."""
    batch = uuid.uuid4()
    now = timezone.now()
    name = _actor_name(actor)
    actor = actor if getattr(actor, "pk", None) else None
    content_types: dict[type, ContentType] = {}
    pending: list[AuditEvent] = []
    written = 0
    for entry in entries:
        if entry.model not in content_types:
            content_types[entry.model] = ContentType.objects.get_for_model(entry.model)
        before, after = _plain(entry.before), _plain(entry.after)
        if entry.action == AuditAction.UPDATE:
            before, after = changed(before, after)
        pending.append(
            AuditEvent(
                at=now,
                actor=actor,
                actor_name=name,
                address=address or None,
                action=entry.action,
                content_type=content_types[entry.model],
                object_id=str(entry.object_id),
                object_repr=(
                    entry.object_repr or f"{entry.model._meta.verbose_name} {entry.object_id}"
                )[:REPR_LENGTH],
                summary=summary[:500],
                before=before,
                after=after,
                batch=batch,
            )
        )
        if len(pending) >= batch_size:
            AuditEvent.objects.bulk_create(pending)
            written += len(pending)
            pending = []
    if pending:
        AuditEvent.objects.bulk_create(pending)
        written += len(pending)
    return written


def id_ranges(pks) -> list[list[int]]:
    """Record ids as [first, last] runs: a bulk import's new ids are nearly consecutive."""
    ranges: list[list[int]] = []
    for pk in sorted(pks):
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    return ranges


def audit_summary(
    *, actor, action: str, summary: str, after: dict | None = None, address: str | None = None
) -> AuditEvent:
    """An audit row about many records at once (e.g. one import), not tied to one record."""
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        address=address or None,
        action=action,
        object_repr=summary[:REPR_LENGTH],
        summary=summary[:500],
        after=_plain(after or {}),
    )
    event.save()
    return event
