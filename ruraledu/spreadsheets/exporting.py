"""Exports of a kind's records: one school's on the page, a whole scope's as a background job.

Either way the rows come from the importer's scoped `export_rows`, every child a row shows
in clear is logged, and an export that may carry clear ID numbers leaves one more log row
naming the file. A job's file is its requester's alone and is deleted after
`EXPORT_FILE_KEEP_HOURS` (a day).
"""

import logging
import tempfile
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone

from ruraledu.audit.personal_access import ChildReads
from ruraledu.core.models import PersonalDataAccess

from .base import get_importer
from .choices import ExportJobStatus
from .export import export_xlsx
from .importing import can_view_personal
from .models import ExportJob

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "生成导出文件时出现系统错误，请稍后重新导出或联系管理员。"
STALE_MESSAGE = "后台任务进程已中断，导出文件未生成，请重新导出"


def export_write(
    stream: BinaryIO, *, kind: str, year: int, user, school: str = "", address: str | None
) -> int:
    """Write the user's records of `kind` (one school's when `school` is a code) to `stream`
    as .xlsx and log the children it shows in clear; returns the row count."""
    importer = get_importer(kind)
    rows = importer.export_rows(year=year, user=user, school=school or None)
    if school:  # kinds that cannot narrow their query by school
        rows = (row for row in rows if row.get("school") == school)
    if any(c.kind == "id_number" for c in importer.spec.columns) and can_view_personal(user):
        PersonalDataAccess.objects.create(
            user=user,
            subject=f"export:{kind}:{year}:{school or '全部'}"[:50],
            purpose="export",
            address=address,
        )
    reads = ChildReads(user, "export", address)  # each child a row names is logged
    title = importer.spec.title
    count = export_xlsx(importer.spec.columns, reads.through(rows), stream, title)
    reads.save()
    return count


def export_job_create(*, kind: str, year: int, user, address: str | None) -> ExportJob:
    """Queue an export of everything of `kind` in the user's scope. A second request while
    the same export is still queued or running gets that job: a double click makes one file."""
    from .tasks import run_export_job

    get_importer(kind)  # an unknown kind fails here, not in the worker
    with transaction.atomic():
        waiting = (
            ExportJob.objects.select_for_update()
            .filter(created_by=user, kind=kind, year=year)
            .filter(status__in=[ExportJobStatus.QUEUED, ExportJobStatus.RUNNING])
            .first()
        )
        if waiting:
            return waiting
        job = ExportJob.objects.create(kind=kind, year=year, created_by=user, address=address)
        transaction.on_commit(lambda: run_export_job.enqueue(job_id=job.pk))
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """Make a queued job's file. Its rows are read as the requester would see them now."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJobStatus.QUEUED).update(
        status=ExportJobStatus.RUNNING, started_at=timezone.now()
    )
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job  # another worker has it, or it was declared dead
    # No transaction around it: on SQLite one would hold the write lock for the whole export.
    try:
        with tempfile.TemporaryFile() as stream:
            count = export_write(
                stream, kind=job.kind, year=job.year, user=job.created_by, address=job.address
            )
            stream.seek(0)
            job.file.save("export.xlsx", File(stream), save=False)
        job.row_count, job.status = count, ExportJobStatus.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "row_count", "status", "finished_at"])
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        if job.file:
            job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJobStatus.FAILED, finished_at=timezone.now(), message=FAILED_MESSAGE
        )
        job.refresh_from_db()
    export_files_purge()  # besides the daily purge: a file is gone soon after its time is up
    return job


def export_jobs_fail_stale(*, jobs: models.QuerySet | None = None) -> int:
    """Mark failed the running jobs (of `jobs`, default all) that outlived any real export."""
    cutoff = timezone.now() - timezone.timedelta(seconds=settings.EXPORT_JOB_STALE_SECONDS)
    stale = (ExportJob.objects if jobs is None else jobs).filter(
        status=ExportJobStatus.RUNNING, started_at__lt=cutoff
    )
    if not stale.exists():  # pages call this on every load: read first, write rarely
        return 0
    return stale.update(
        status=ExportJobStatus.FAILED, finished_at=timezone.now(), message=STALE_MESSAGE
    )


def kept_since():
    """Files of exports finished before this are past keeping: not served, and deleted."""
    return timezone.now() - timezone.timedelta(hours=settings.EXPORT_FILE_KEEP_HOURS)


def export_files_purge() -> int:
    """Delete the files of exports past keeping; returns how many."""
    purged = 0
    for job in ExportJob.objects.exclude(file="").filter(finished_at__lt=kept_since()):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        purged += 1
    return purged


def export_download_logged(job: ExportJob, address: str | None) -> None:
    """A download hands the file over again: logged like the export itself."""
    if any(c.kind == "id_number" for c in get_importer(job.kind).spec.columns):
        PersonalDataAccess.objects.create(
            user=job.created_by,
            subject=f"export-file:{job.pk}",
            purpose="export",
            address=address,
        )
