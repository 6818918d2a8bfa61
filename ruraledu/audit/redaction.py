"""Erasing personal text from audit rows whose record's retention period ran out: the one way
a stored audit row changes. Each row keeps its time, actor, action, record reference and
hashes; its label, summary, before and after values and salt become the marker (chain.py), and
a redaction row (who, when, which rows, why) is appended. The database triggers accept exactly
this change and only inside `guards.redaction_permitted`."""

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction
from django.db.models import Q

from . import guards
from .chain import REDACTED
from .choices import AuditAction
from .models import AuditEvent
from .services import audit_record, id_ranges

BATCH = 500


def _erase(ids: list[int], using: str) -> None:
    connection = connections[using]
    empty = "'{}'::jsonb" if connection.vendor == "postgresql" else "'{}'"
    with guards.redaction_permitted(connection), connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"UPDATE {guards.TABLE} SET object_repr = %s, summary = %s, "  # noqa: S608
                f'"before" = {empty}, "after" = {empty}, payload_salt = \'\' '
                f"WHERE id IN ({marks})",
                [REDACTED, REDACTED, *chunk],
            )


def audit_redact(
    *,
    events: models.QuerySet[AuditEvent],
    actor,
    instance: models.Model,
    reason: str,
    summary: str,
) -> AuditEvent | None:
    """Erase the payload of `events` (rows already erased and redaction rows are left as they
    are) and append one redaction row about `instance` listing them; None when nothing was
    left to erase."""
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using):
        ids = list(
            events.exclude(payload_salt="")
            .exclude(action=AuditAction.REDACT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return None
        _erase(ids, using)
        return audit_record(
            actor=actor,
            instance=instance,
            action=AuditAction.REDACT,
            after={"rows": id_ranges(ids), "count": len(ids), "reason": reason},
            summary=summary,
        )


def events_of(records: dict[type[models.Model], list]) -> models.QuerySet[AuditEvent]:
    """The audit rows about these records (model -> primary keys)."""
    about = Q(pk__in=[])
    for model, pks in records.items():
        if pks:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
            about |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    return AuditEvent.objects.filter(about)
