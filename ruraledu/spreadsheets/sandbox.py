"""Run a parser in a child process under a memory and a time limit.

A parser (python-calamine is Rust) that runs out of memory aborts its whole process. The
worker must survive that, so the import job reads the file in a forked child whose address
space is capped; if the child dies or overruns, the caller gets `ParseAborted` and the
worker carries on. The child touches no database connection and leaves by `os._exit`.
"""

import multiprocessing
import os
import resource
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings

DEFAULT_MEMORY_BYTES = 2 * 1024**3  # on top of what the worker already maps
DEFAULT_SECONDS = 600
POLL_SECONDS = 1.0


class ParseAborted(Exception):
    """The child died ("crashed": out of memory or a parser fault) or ran out of time."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def run_isolated(function: Callable[..., Any], *args: Any, on_wait: Callable | None = None):
    """`function(*args)` in a forked child; its return value (or exception) comes back
    pickled. `on_wait()` is called about once a second while the child works."""
    memory = getattr(settings, "IMPORT_PARSE_MEMORY_BYTES", DEFAULT_MEMORY_BYTES)
    seconds = getattr(settings, "IMPORT_PARSE_SECONDS", DEFAULT_SECONDS)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, memory, function, args), daemon=True)
    child.start()
    sender.close()
    deadline = time.monotonic() + seconds
    try:
        while not receiver.poll(POLL_SECONDS):
            if time.monotonic() > deadline:
                raise ParseAborted("timeout")
            if on_wait is not None:
                on_wait()
        try:
            succeeded, value = receiver.recv()
        except (EOFError, OSError):
            raise ParseAborted("crashed") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if succeeded:
        return value
    if isinstance(value, MemoryError):
        raise ParseAborted("crashed")
    raise value


def _child(sender, memory: int, function: Callable, args: tuple) -> None:
    _limit_address_space(memory)
    try:
        outcome = (True, function(*args))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        if not isinstance(exc, MemoryError):  # its traceback reaches the log from here
            exc.add_note("In the isolated child:\n" + traceback.format_exc())
        outcome = (False, exc)
    try:
        sender.send(outcome)
    except MemoryError:  # a result too big to pickle within the limit is the limit's doing
        sender.send((False, MemoryError()))
    except Exception:  # an unpicklable result or exception
        sender.send((False, RuntimeError("parse result could not be sent back")))


def _limit_address_space(extra: int) -> None:
    """Cap the child's address space at what it maps now plus `extra` bytes."""
    try:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = mapped + extra
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        if soft == resource.RLIM_INFINITY or wanted < soft:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (OSError, ValueError):
        pass  # no /proc or no limit allowed: the child still keeps the worker safe
