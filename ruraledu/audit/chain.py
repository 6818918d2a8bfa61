"""The audit trail as a hash chain: each row stores SHA-256 of (previous row's hash + its own
header), computed when written, so changing, inserting or deleting a row in the database breaks
the chain from that row on (`manage.py integrity_check`).

The header is what never changes (time, actor, action, record, batch) plus `payload_hash`, a
salted hash of the payload (record label, summary, before and after values). The payload may
later be erased through one path only (redaction.py, e.g. when a care case's retention period
runs out): the payload and its salt are replaced by a fixed marker while the header, and so the
chain, stays verifiable. The salt is erased with the payload so the kept hash cannot be used to
confirm a guessed name. A redacted row passes only if a later redaction row lists it.

Rows written before the payload hash existed keep their first hash (over the whole row) in
`legacy_hash`; it is checked as long as their payload is there, so earlier anchors stay valid.

Rows are chained in id order. Writers take a lock until their transaction ends (PostgreSQL:
an advisory lock; SQLite: every write transaction is already exclusive), so ids and the chain
agree even when two requests write at once.
"""

import datetime as dt
import functools
import hashlib
import ipaddress
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.utils import timezone

from .choices import AuditAction

GENESIS = "0" * 64
# any constant: identifies the audit chain's writer lock among advisory locks
PG_LOCK_KEY = 7_301_017_301
# what the chain covers directly; the payload through `payload_hash`
HEADER_FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "address",
    "action",
    "content_type_id",
    "object_id",
    "batch",
    "payload_hash",
    "legacy_hash",
)
# what redaction may erase (and nothing else)
PAYLOAD_FIELDS = ("object_repr", "summary", "before", "after", "payload_salt")
CONTENT_FIELDS = (*HEADER_FIELDS, *PAYLOAD_FIELDS)
# a redacted row's payload; the database guards accept an UPDATE writing exactly this
REDACTED = "（保存期满，个人信息已清除）"
REDACT_ACTION = AuditAction.REDACT.value


# one encoder for every row (building one per call cost a third of the time)
_ENCODER = DjangoJSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@functools.lru_cache(maxsize=64)  # a bulk write shares one time and one address
def _at(value) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


@functools.lru_cache(maxsize=256)
def _address(value) -> str:
    # the database may write an address differently (e.g. PostgreSQL's inet): compare canonically
    return str(ipaddress.ip_address(value)) if value else ""


def _header(row) -> bytes:
    values = [
        _at(row.at),
        row.actor_id,
        row.actor_name,
        _address(row.address),
        row.action,
        row.content_type_id,
        row.object_id,
        str(row.batch) if row.batch else "",
        row.payload_hash,
        row.legacy_hash,
    ]
    return _ENCODER.encode(values).encode()


def payload_digest(row) -> str:
    values = [row.object_repr, row.summary, row.before, row.after]
    return hashlib.sha256(row.payload_salt.encode() + _ENCODER.encode(values).encode()).hexdigest()


def digest(previous: str, row) -> str:
    return hashlib.sha256(previous.encode() + _header(row)).hexdigest()


def digest_v1(previous: str, row) -> str:
    """The first formula, over the whole row (rows written before the payload hash existed)."""
    values = [
        _at(row.at),
        row.actor_id,
        row.actor_name,
        _address(row.address),
        row.action,
        row.content_type_id,
        row.object_id,
        row.object_repr,
        row.summary,
        row.before,
        row.after,
        str(row.batch) if row.batch else "",
    ]
    return hashlib.sha256(previous.encode() + _ENCODER.encode(values).encode()).hexdigest()


def is_redacted(row) -> bool:
    return not row.payload_salt


def _redaction_intact(row) -> bool:
    return (row.object_repr, row.summary, row.before, row.after) == (REDACTED, REDACTED, {}, {})


def seal(rows: list, *, model, using: str) -> None:
    """Set the salt, the payload hash and the chain hashes of rows about to be inserted, in
    insert order. Call inside the transaction that inserts them."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_LOCK_KEY])
    previous = (
        model._base_manager.using(using).order_by("-pk").values_list("row_hash", flat=True).first()
    ) or GENESIS
    for row in rows:
        if row.at is None:
            row.at = timezone.now()
        row.payload_salt = secrets.token_hex(16)
        row.payload_hash = payload_digest(row)
        row.legacy_hash = ""
        row.prev_hash = previous
        row.row_hash = previous = digest(previous, row)


@dataclass
class Break:
    """The first row where the chain does not hold."""

    position: int  # 1-based, in id order
    row: object
    reason: str


@dataclass
class Verdict:
    rows: int
    last_hash: str
    broken: Break | None = None
    redacted: int = 0


def rows_in_order(model, using: str = "default", chunk_size: int = 5000) -> Iterator:
    return (
        model._base_manager.using(using)
        .order_by("pk")
        .only("pk", "prev_hash", "row_hash", *CONTENT_FIELDS)
        .iterator(chunk_size=chunk_size)
    )


def _listed(row) -> Iterator[tuple[int, int]]:
    """The id ranges a redaction row says it erased."""
    if row.action == REDACT_ACTION and not is_redacted(row):
        for first, last in row.after.get("rows", ()):
            yield int(first), int(last)


def _payload_fault(row, previous_legacy: str) -> str:
    if is_redacted(row):
        return "" if _redaction_intact(row) else "该记录已清除的内容被改动"
    if row.payload_hash != payload_digest(row):
        return "该记录的内容与其哈希不符：记录被改动"
    if row.legacy_hash and row.legacy_hash != digest_v1(previous_legacy, row):
        return "该记录的内容与升级前的哈希不符：记录被改动"
    return ""


def verify(rows: Iterable) -> Verdict:
    """Walk the chain from the first row; stop at the first row that breaks it. A redacted
    row holds only if a later redaction row of the chain lists it."""
    previous, previous_legacy = GENESIS, GENESIS
    count, redacted = 0, 0
    waiting: dict[int, tuple[int, object, str]] = {}  # redacted rows not yet listed
    for count, row in enumerate(rows, start=1):  # noqa: B007 (count is the result)
        if row.prev_hash != previous:
            reason = (
                "该记录所存的前一条哈希与前一条记录不符：其前有记录被删除、插入或改动"
                if row.prev_hash
                else "该记录没有哈希：不是经审计服务写入的"
            )
            return Verdict(count - 1, previous, Break(count, row, reason), redacted)
        fault = _payload_fault(row, previous_legacy)
        if not fault and row.row_hash != digest(previous, row):
            fault = "该记录的内容与其哈希不符：记录被改动"
        if fault:
            return Verdict(count - 1, previous, Break(count, row, fault), redacted)
        if is_redacted(row):
            waiting[row.pk] = (count, row, previous)
            redacted += 1
        for first, last in _listed(row):
            for pk in [pk for pk in waiting if first <= pk <= last]:
                del waiting[pk]
        if row.legacy_hash:
            previous_legacy = row.legacy_hash
        previous = row.row_hash
    if waiting:
        position, row, before = min(waiting.values(), key=lambda item: item[0])
        reason = "该记录的内容被清除，但没有经清除程序登记的清除记录"
        return Verdict(position - 1, before, Break(position, row, reason), redacted)
    return Verdict(count, previous, redacted=redacted)
