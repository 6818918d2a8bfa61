"""A test run that collects nothing fails, saying so, in one process and with test workers."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_run_that_collects_nothing_fails_and_says_so(workers):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-n",
            workers,
            "-k",
            "no_test_has_this_name",
            "ruraledu/core/tests/test_empty_run.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode != 0
    assert "没有收集到任何测试" in run.stdout + run.stderr
