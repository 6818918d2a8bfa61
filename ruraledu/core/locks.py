"""One process at a time for work that must not overlap (a recompute reads every value it
will write: two at once would insert the same rows, or store an older snapshot last).

PostgreSQL: a session advisory lock, held across the work's transactions. SQLite serves one
machine: an exclusive lock on a file named after the database and the lock."""

import fcntl
import hashlib
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction


def _key(name: str) -> int:
    # a signed 64-bit number, stable across processes (Python's hash() is salted)
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def exclusive(name: str):
    """Hold the lock `name` for the block; waits while another process holds it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_key(name)])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(name)])
        return
    database = str(connection.settings_dict["NAME"])
    tag = hashlib.sha256(f"{database}:{name}".encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"ruraledu-{tag}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def refused_if_taken(message: str, code: str | None = None):
    """A save that may lose a race to another request storing the same row (two users, a
    double tap): the database's unique index refuses it, this block alone rolls back, and
    the user is told `message`. Only unique and check rules can fail inside a save here:
    foreign keys are checked at commit."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        raise ValidationError(message, code=code) from error
