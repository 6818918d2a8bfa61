"""Running a year's scans: their memory, and during a recompute on PostgreSQL several at once.

The scans of a year are independent grouped queries, each spending its time in the database.
During a recompute on PostgreSQL they run on `RECOMPUTE_SCAN_CONNECTIONS` helper threads,
each with a connection of its own: the server works on several scans at once while this
thread computes the indicators whose scans are in (see `compute_year`). Each scan reads in
its own statement, as it did one after another. Elsewhere (a page, a caller's transaction —
other connections would not see its writes —, SQLite) they run here, in order, at once.
"""

import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, connections

logger = logging.getLogger(__name__)


@contextmanager
def scan_settings():
    """The IN-sets of a scan (who travelled, who was trained …) must fit in memory to be
    hashed once; with PostgreSQL's default 4 MB it rescans them for every row. JIT on,
    where the server turns it off for the pages: the enrolment scan's 27 counts took 6.5 s
    with it, 9.2 s without (province, 13.5 million rows). And `RECOMPUTE_SCAN_WORKERS`
    parallel workers, each of which builds those sets and compiles the scan anew."""
    if connection.vendor != "postgresql":
        yield
        return
    names = ("work_mem", "jit", "max_parallel_workers_per_gather")
    wanted = ("256MB", "on", str(settings.RECOMPUTE_SCAN_WORKERS))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
        before = cursor.fetchone()
        _set(cursor, names, wanted)
    try:
        yield
    finally:
        with connection.cursor() as cursor:  # as they were on this connection
            _set(cursor, names, before)


def _set(cursor, names, values) -> None:
    cursor.execute(
        "SELECT " + ", ".join(f"set_config('{n}', %s, false)" for n in names), list(values)
    )


def scan_connections() -> int:
    """How many helper connections a recompute's scans may use (0: none, run here)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 0
    return settings.RECOMPUTE_SCAN_CONNECTIONS


class Scans:
    """The results of `jobs` (key -> a function returning rows), by key.

    With `side_by_side` and helper connections available, the jobs start at once on helper
    threads in the order given (the order they are wanted in) and `get` waits for one; otherwise
    every job has run, in order, when this is made. The first error stops the jobs not yet
    started and is raised by `get` or `finish`. `waited`: seconds this thread
    spent waiting."""

    def __init__(self, jobs: dict[str, Callable[[], list]], *, side_by_side: bool = False):
        self.results: dict[str, list] = {}
        self.waited = 0.0
        self._errors: list[BaseException] = []
        self._threads: list[threading.Thread] = []
        self._busy: dict[int, object] = {}  # helper thread -> its connection, while in a job
        self._active = 0
        width = min(scan_connections(), len(jobs)) if side_by_side else 0
        if not width:
            with scan_settings():
                self.results = {key: job() for key, job in jobs.items()}
            return
        self._waiting = list(reversed(jobs.items()))  # popped from the end
        self._changed = threading.Condition()
        self._active = width
        self._threads = [threading.Thread(target=self._helper, daemon=True) for _ in range(width)]
        for thread in self._threads:
            thread.start()

    def _helper(self) -> None:
        try:
            with scan_settings():
                while True:
                    with self._changed:
                        if not self._waiting or self._errors:
                            return
                        key, job = self._waiting.pop()
                        self._busy[threading.get_ident()] = connection.connection
                    try:
                        rows = job()
                    finally:
                        with self._changed:
                            del self._busy[threading.get_ident()]
                    with self._changed:
                        self.results[key] = rows
                        self._changed.notify_all()
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            with self._changed:
                self._errors.append(error)
                self._changed.notify_all()
        finally:
            connections.close_all()  # this thread's own connections only
            with self._changed:
                self._active -= 1
                self._changed.notify_all()

    def _wait(self, until: Callable[[], bool]) -> None:
        if not self._threads:
            return
        started = time.perf_counter()
        with self._changed:
            self._changed.wait_for(lambda: until() or self._errors)
            if self._errors:
                raise self._errors[0]
        self.waited += time.perf_counter() - started

    def get(self, key: str) -> list:
        """The rows of `key`, once in; a key no job gives is a KeyError, as when the jobs ran
        here (not a wait for ever)."""
        self._wait(lambda: key in self.results or not self.running())
        return self.results[key]

    def running(self) -> bool:
        """Whether a helper thread is still at work."""
        return self._active > 0

    def finish(self) -> dict[str, list]:
        """Wait for every job (raising the first error) and end the helper threads."""
        try:
            self._wait(lambda: not self.running())
        finally:
            self.close()
        if self._errors:
            raise self._errors[0]
        return self.results

    def close(self) -> None:
        """Start no more jobs, stop those still running (nobody reads them after an error
        elsewhere: it surfaces at once, not after the longest scan) and end the threads."""
        if not self._threads:
            return
        with self._changed:
            self._waiting.clear()
            running = list(self._busy.values())
        for server in filter(None, running):
            try:  # the job then fails with QueryCanceled, kept from the caller
                server.cancel_safe(timeout=5)
            except Exception:  # noqa: BLE001 - it ended meanwhile: nothing left to stop
                logger.warning("scan not cancelled, waiting for it to end", exc_info=True)
        for thread in self._threads:
            thread.join()
