import os
import time

import pytest

from ruraledu.spreadsheets.sandbox import ParseAborted, run_isolated


def test_the_result_comes_back_from_the_child():
    assert run_isolated(divmod, 7, 2) == (3, 1)
    assert run_isolated(os.getpid) != os.getpid()


def test_an_exception_in_the_child_is_raised_here():
    with pytest.raises(ValueError, match="invalid literal"):
        run_isolated(int, "三")


def test_a_child_over_its_memory_limit_is_aborted(settings):
    settings.IMPORT_PARSE_MEMORY_BYTES = 256 * 1024**2
    with pytest.raises(ParseAborted) as aborted:
        run_isolated(bytearray, 1024**3)
    assert aborted.value.reason == "crashed"


def test_a_result_too_big_to_send_within_the_limit_is_a_crash(settings):
    # the bytes fit under the limit, their pickled copy does not
    settings.IMPORT_PARSE_MEMORY_BYTES = 300 * 1024**2
    with pytest.raises(ParseAborted) as aborted:
        run_isolated(bytearray, 200 * 1024**2)
    assert aborted.value.reason == "crashed"


def test_an_exception_from_the_child_carries_its_traceback_for_the_log():
    with pytest.raises(ValueError) as raised:
        run_isolated(int, "三")
    assert "In the isolated child" in raised.value.__notes__[0]
    assert "Traceback" in raised.value.__notes__[0]


def test_a_child_that_dies_is_aborted():
    with pytest.raises(ParseAborted) as aborted:
        run_isolated(os.abort)
    assert aborted.value.reason == "crashed"


def test_a_child_over_its_time_is_stopped_and_the_wait_reports_progress(settings):
    settings.IMPORT_PARSE_SECONDS = 2
    beats = []
    started = time.monotonic()
    with pytest.raises(ParseAborted) as aborted:
        run_isolated(time.sleep, 60, on_wait=lambda: beats.append(1))
    assert aborted.value.reason == "timeout"
    assert time.monotonic() - started < 10
    assert len(beats) >= 1
