"""The daily jobs run by the one timer a server installs: each job in turn, a failing one not
stopping the rest, and every job the README has run daily among them."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from ruraledu.core.management.commands import run_daily_jobs
from ruraledu.core.management.commands.run_daily_jobs import DAILY_JOBS

ROOT = Path(settings.BASE_DIR)
NAMES = [name for name, *_ in DAILY_JOBS]


@pytest.mark.django_db
def test_every_job_runs_in_turn_and_says_what_it_did():
    out, err = io.StringIO(), io.StringIO()
    call_command("run_daily_jobs", stdout=out, stderr=err)
    ran = [line.split("：", 1)[0] for line in out.getvalue().splitlines()]
    assert ran == NAMES
    assert NAMES[-1] == "send_emails"  # every notice the jobs raised goes out in the run
    assert "erase_expired_cases：区教体局尚未设定保存期限，未清除任何个案。" in out.getvalue()
    assert "integrity_check：审计链完整" in out.getvalue()
    assert err.getvalue() == ""


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others(monkeypatch):
    # given a job that fails (a command that is not there) third in line
    jobs = [*DAILY_JOBS[:2], ("no_such_job",), *DAILY_JOBS[2:]]
    monkeypatch.setattr(run_daily_jobs, "DAILY_JOBS", jobs)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 项每日任务失败：no_such_job"):
        call_command("run_daily_jobs", stdout=out, stderr=err)
    ran = [line.split("：", 1)[0] for line in out.getvalue().splitlines()]
    assert ran == NAMES
    assert err.getvalue().startswith("no_such_job：失败（Unknown command")


def test_every_job_the_readme_runs_daily_is_in_the_daily_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    daily = set(re.findall(r"每日运行 `python manage\.py (\w+)`", readme))
    assert {"send_reminders", "follow_up_cases", "erase_expired_cases"} <= daily
    assert daily <= set(NAMES)
    assert set(NAMES) <= set(get_commands())


def test_the_shipped_timer_runs_the_daily_jobs():
    service = (ROOT / "deploy" / "ruraledu-daily.service").read_text(encoding="utf-8")
    timer = (ROOT / "deploy" / "ruraledu-daily.timer").read_text(encoding="utf-8")
    assert "ExecStart=/srv/ruraledu/.venv/bin/python manage.py run_daily_jobs" in service
    assert "Type=oneshot" in service
    # Beijing time whatever the server's zone (cloud images often run on UTC)
    assert re.search(r"^OnCalendar=\*-\*-\* 06:30:00 Asia/Shanghai$", timer, re.M)
    assert "Persistent=true" in timer
