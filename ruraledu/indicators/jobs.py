"""Recompute jobs: queued by imports and by the bureau, progress kept for the page."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ruraledu.accounts.policy import is_bureau
from ruraledu.core.locks import exclusive

from .models import RecomputeJob
from .services import recompute, recompute_changes


def recompute_request(
    *, years: list[int] | None = None, user=None, reason: str = "手动", incremental: bool = False
) -> RecomputeJob:
    """Queue a recompute once the current transaction commits (an import's data must be visible).
    `incremental`: only what the recorded changes touch (`recompute_changes`)."""
    from .tasks import run_recompute_job

    job = RecomputeJob.objects.create(
        requested_by=user, reason=reason, years=years or [], incremental=incremental
    )
    transaction.on_commit(partial(run_recompute_job.enqueue, job_id=job.pk))
    return job


def recompute_start(*, actor) -> RecomputeJob:
    """The bureau's recompute button: only the bureau starts a full recompute by hand."""
    if not is_bureau(actor):
        raise PermissionDenied("只有区教体局可以发起重新计算")
    return recompute_request(user=actor, reason="手动")


def recompute_after_import(*, kind, year, user, result, **kwargs) -> None:
    from ruraledu.spreadsheets.base import get_importer

    # the import's writes were recorded as changes (changes.py): recompute only those
    recompute_request(
        years=[year], user=user, reason=f"导入{get_importer(kind).spec.title}", incremental=True
    )


def recompute_job_run(*, job_id: int) -> RecomputeJob:
    job = RecomputeJob.objects.get(pk=job_id)
    job.status = RecomputeJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(done: int, total: int) -> None:
        RecomputeJob.objects.filter(pk=job.pk).update(progress=int(done / total * 100))

    try:
        # one recompute at a time: a later job then finds the changes an earlier one stored
        with exclusive("recompute"):
            if job.incremental:
                stats = recompute_changes(progress=progress)
            else:
                stats = recompute(years=job.years or None, progress=progress)
    except Exception as exc:  # the job records the failure; the worker logs the traceback
        RecomputeJob.objects.filter(pk=job.pk).update(
            status=RecomputeJob.Status.FAILED,
            message=f"计算失败：{exc}"[:300],
            finished_at=timezone.now(),
        )
        raise
    RecomputeJob.objects.filter(pk=job.pk).update(
        status=RecomputeJob.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        message=stats.summary(),
    )
    job.refresh_from_db()
    return job
