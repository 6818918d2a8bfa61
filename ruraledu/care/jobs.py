"""Cross-check jobs: started by the bureau, run by the task worker, progress kept for the
page that polls it."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ruraledu.accounts.policy import is_bureau
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record

from .choices import CrossCheckStatus, FindingKind
from .crosscheck import cross_check
from .models import CrossCheckRun


def cross_check_start(*, actor, year: int, address: str | None = None) -> CrossCheckRun:
    """Queue a cross-check of `year` once the current transaction commits; the bureau only."""
    from .tasks import run_cross_check

    if not is_bureau(actor):
        raise PermissionDenied("只有区教体局可以发起四查三比对。")
    run = CrossCheckRun.objects.create(year=year, requested_by=actor)
    audit_record(
        actor=actor,
        instance=run,
        action=AuditAction.CREATE,
        after={"year": year},
        summary=f"发起四查三比对（{year}学年）",
        address=address,
    )
    transaction.on_commit(partial(run_cross_check.enqueue, run_id=run.pk))
    return run


def cross_check_job_run(*, run_id: int) -> CrossCheckRun:
    run = CrossCheckRun.objects.get(pk=run_id)
    CrossCheckRun.objects.filter(pk=run.pk).update(status=CrossCheckStatus.RUNNING)

    def progress(percent: int) -> None:
        CrossCheckRun.objects.filter(pk=run.pk).update(progress=percent)

    try:
        with transaction.atomic():
            stats = cross_check(year=run.year, run=run, progress=progress)
    except Exception as exc:  # the run records the failure; the worker logs the traceback
        CrossCheckRun.objects.filter(pk=run.pk).update(
            status=CrossCheckStatus.FAILED,
            message=f"比对失败，未写入任何结果：{exc}"[:300],
            finished_at=timezone.now(),
        )
        raise
    counts = "，".join(
        f"{FindingKind(kind).label} {stats.counts.get(kind, 0)} 人" for kind in FindingKind
    )
    CrossCheckRun.objects.filter(pk=run.pk).update(
        status=CrossCheckStatus.DONE,
        progress=100,
        counts=stats.counts,
        finished_at=timezone.now(),
        message=(
            f"{counts}（待核实）；新发现 {stats.created}，更新 {stats.updated}，不再在名单中 "
            f"{stats.gone}，情况变化重新列入 {stats.reopened}；用时 {stats.seconds:.1f} 秒"
        )[:300],
    )
    run.refresh_from_db()
    return run
