"""Recomputes have a queue and a worker of their own: they run one at a time, so a worker
waiting its turn for one must not be a worker the uploads need."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from ruraledu.indicators.jobs import recompute_request
from ruraledu.indicators.models import RecomputeJob
from ruraledu.spreadsheets.choices import ImportJobStatus

from .test_jobs import create_job
from .xlsx import from_template, row


def _work(queue: str) -> None:
    call_command("db_worker", "--batch", "--queue-name", queue, "--no-startup-delay", "--no-reload")


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
def test_the_upload_workers_leave_recomputes_to_their_own_worker(
    settings, district_admin, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    # given a recompute asked for, then an upload
    with django_capture_on_commit_callbacks(execute=True):
        recompute = recompute_request(reason="手动")
    job = create_job(from_template([row()]), district_admin, django_capture_on_commit_callbacks)
    queues = dict(DBTaskResult.objects.values_list("task_path", "queue_name"))
    assert queues == {
        "ruraledu.indicators.tasks.run_recompute_job": "recompute",
        "ruraledu.spreadsheets.tasks.run_import_job": "default",
    }
    # when an upload worker runs, it takes the upload, not the recompute queued before it
    with django_capture_on_commit_callbacks(execute=True):
        _work("default")
    job.refresh_from_db()
    recompute.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert recompute.status == RecomputeJob.Status.QUEUED
    # and the recompute worker runs the recomputes
    _work("recompute")
    assert set(RecomputeJob.objects.values_list("status", flat=True)) == {RecomputeJob.Status.DONE}
