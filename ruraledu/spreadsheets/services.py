"""The all-or-nothing import pipeline and the import jobs that run it in the background."""

import logging
from collections.abc import Callable
from dataclasses import asdict, replace
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.scoping import can
from ruraledu.core.bulk import collector_paused

from .base import CellError, ImportResult, SheetSpec, get_importer
from .choices import ImportJobStatus
from .models import ImportJob
from .reader import read_sheet, sheet_title
from .report import error_copy
from .safety import UploadRefused, check_upload
from .signals import import_committed

logger = logging.getLogger(__name__)

MAX_STORED_ERRORS = 5_000  # the marked copy carries every error; the page shows these
Progress = Callable[[int, str], None]


class ImportRejected(Exception):
    """The file broke rules; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(f"导入被拒绝：共 {len(errors)} 处错误，未写入任何数据")
        self.errors = errors


def sort_errors(errors: list[CellError], spec: SheetSpec) -> list[CellError]:
    """Top to bottom, then left to right in the spec's column order."""
    order = {c.header: i for i, c in enumerate(spec.columns)}
    return sorted(errors, key=lambda e: (e.row, order.get(e.column, -1)))


def import_run(
    *,
    kind: str,
    data: bytes,
    filename: str,
    year: int,
    user,
    job: ImportJob | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check, read and validate the whole file, then write it in one transaction.

    Raises `UploadRefused` for an unsafe or unreadable file and `ImportRejected` with every
    cell and row error (the reader's and the importer's together); in both cases nothing
    is written. `job` and `progress` (percent, Chinese stage) are told how far it got.
    """
    if not can(user, Action.CHANGE):
        raise PermissionDenied("您没有导入数据的权限")
    with collector_paused():
        return _import(kind, data, filename, year, user, partial(_step, job=job, progress=progress))


def _import(kind: str, data: bytes, filename: str, year: int, user, step) -> ImportResult:
    importer = get_importer(kind)
    step(ImportJobStatus.VALIDATING, 5)
    check_upload(data, filename)
    step(ImportJobStatus.VALIDATING, 15)
    rows, errors = read_sheet(importer.spec, data, filename)
    step(ImportJobStatus.VALIDATING, 40, total_rows=len(rows))
    rows_with_errors = {e.row for e in errors}
    parsed = [row for row in rows if row.number not in rows_with_errors] if errors else rows
    if parsed:
        # Rows whose cells parsed still get the importer's checks, so one round shows all.
        errors = errors + _on_sheet(
            importer.validate(parsed, year=year, user=user), importer.spec, data
        )
    if errors:
        raise ImportRejected(sort_errors(errors, importer.spec))
    step(ImportJobStatus.WRITING, 60)
    try:
        with transaction.atomic():
            result = importer.write(rows, year=year, user=user)
            if result.created or result.updated:
                import_committed.send(
                    sender=type(importer), kind=kind, year=year, user=user, result=result
                )
            return result
    except ValidationError as exc:
        message = "；".join(exc.messages)
        raise ImportRejected(
            [CellError(importer.spec.title, 0, "", "", f"写入时校验失败，已全部撤销：{message}")]
        ) from exc


def _on_sheet(errors: list[CellError], spec: SheetSpec, data: bytes) -> list[CellError]:
    """Importers name the sheet by the spec's title; point their errors at the sheet that
    was actually read (the first sheet, when the user renamed it)."""
    errors = list(errors)
    if not errors:
        return errors
    actual = sheet_title(spec, data)
    return [replace(e, sheet=actual) if e.sheet == spec.title else e for e in errors]


def _step(
    status: str,
    percent: int,
    *,
    job: ImportJob | None,
    progress: Progress | None,
    **fields,
) -> None:
    if job is not None:
        changes = {"status": status, "progress": percent, **fields}
        ImportJob.objects.filter(pk=job.pk).update(**changes)
        for name, value in changes.items():
            setattr(job, name, value)
    if progress is not None:
        progress(percent, ImportJobStatus(status).label)


def import_job_create(*, kind: str, data: bytes, filename: str, year: int, user) -> ImportJob:
    """Store the upload under MEDIA_ROOT/imports/ and queue its import."""
    from .tasks import run_import_job

    if not can(user, Action.CHANGE):
        raise PermissionDenied("您没有导入数据的权限")
    get_importer(kind)  # an unknown kind fails here, not in the worker
    job = ImportJob(kind=kind, year=year, filename=filename[-255:], created_by=user)
    job.full_clean(exclude=["file"])
    job.file.save("upload.xlsx", ContentFile(data), save=False)
    job.save()
    transaction.on_commit(partial(run_import_job.enqueue, job_id=job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued job; the outcome (counts, errors, marked copy) is stored on the job."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.VALIDATING
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job  # already picked up by another worker, or a retry of a finished job
    data = b""
    try:
        with job.file.open("rb") as stored:
            data = stored.read()
        result = import_run(
            kind=job.kind,
            data=data,
            filename=job.filename,
            year=job.year,
            user=job.created_by,
            job=job,
        )
    except UploadRefused as exc:
        _finish(job, ImportJobStatus.REJECTED, message=exc.message)
    except ImportRejected as exc:
        _reject(job, data, exc.errors)
    except PermissionDenied as exc:
        _finish(job, ImportJobStatus.REJECTED, message=str(exc))
    except Exception:
        # The job must say it failed whatever went wrong; the traceback goes to the log.
        logger.exception("Import job %s failed", job.pk)
        _finish(
            job,
            ImportJobStatus.FAILED,
            message="导入过程中出现系统错误，未写入任何数据。请稍后重试或联系管理员。",
        )
    else:
        _finish(
            job,
            ImportJobStatus.DONE,
            created_count=result.created,
            updated_count=result.updated,
            unchanged_count=result.unchanged,
            message="\n".join(result.messages),
        )
    _discard_upload(job)
    return job


def _discard_upload(job: ImportJob) -> None:
    """Uploads carry ID numbers in clear: once the job is over only the database copy
    (encrypted) and, for a rejected file, the marked copy remain (purged after some days)."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def import_files_purge(*, days: int) -> int:
    """Delete marked error copies older than `days`; returns how many were removed."""
    cutoff = timezone.now() - timezone.timedelta(days=days)
    removed = 0
    for job in ImportJob.objects.filter(finished_at__lt=cutoff).exclude(error_copy=""):
        job.error_copy.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(error_copy="")
        removed += 1
    return removed


def _reject(job: ImportJob, data: bytes, errors: list[CellError]) -> None:
    try:
        marked = error_copy(data, errors, get_importer(job.kind).spec)
    except Exception:
        # openpyxl cannot open every file calamine can; the error list still shows.
        logger.exception("Error copy of import job %s failed", job.pk)
        marked = None
    if marked is not None:
        job.error_copy.save("marked-errors.xlsx", ContentFile(marked), save=False)
    _finish(
        job,
        ImportJobStatus.REJECTED,
        errors=[asdict(e) for e in errors[:MAX_STORED_ERRORS]],
        error_count=len(errors),
        error_copy=job.error_copy.name or "",
        message=f"共发现 {len(errors)} 处错误。请改正后重新上传整个文件。",
    )


def _finish(job: ImportJob, status: str, **fields) -> None:
    changes = {"status": status, "progress": 100, "finished_at": timezone.now(), **fields}
    ImportJob.objects.filter(pk=job.pk).update(**changes)
    for name, value in changes.items():
        if name != "error_copy":
            setattr(job, name, value)
