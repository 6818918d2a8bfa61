"""Recomputes never overlap: a job waits while another process recomputes, then runs.
Two at once inserted the same values (a unique-key failure seen under load) or let an
older snapshot be stored last."""

import threading
import time

import pytest
from django.db import connection

from ruraledu.core.locks import exclusive
from ruraledu.indicators.jobs import recompute_job_run
from ruraledu.indicators.models import RecomputeJob

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(target, *args):
    def run():
        try:
            target(*args)
        finally:
            connection.close()  # each thread has its own connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_recompute_job_waits_for_the_lock_and_then_runs(town_a):
    job = RecomputeJob.objects.create(reason="测试")
    held, release = threading.Event(), threading.Event()

    def hold():
        with exclusive("recompute"):
            held.set()
            release.wait(30)

    holder = _in_thread(hold)
    assert held.wait(30)
    runner = _in_thread(lambda: recompute_job_run(job_id=job.pk))
    time.sleep(1.0)
    job.refresh_from_db()
    assert (job.status, job.finished_at) == (RecomputeJob.Status.RUNNING, None)

    release.set()
    holder.join(30)
    runner.join(60)
    job.refresh_from_db()
    assert job.status == RecomputeJob.Status.DONE


def test_the_lock_is_free_again_after_an_error_inside():
    with pytest.raises(ValueError), exclusive("recompute"):
        raise ValueError
    acquired = threading.Event()

    def take():
        with exclusive("recompute"):
            acquired.set()

    _in_thread(take).join(10)
    assert acquired.is_set()
