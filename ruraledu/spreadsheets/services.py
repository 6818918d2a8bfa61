"""The all-or-nothing import pipeline and the import jobs that run it in the background."""

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from ruraledu.accounts.scoping import can
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.bulk import collector_paused

from .base import CellError, ColumnsMissing, ImportResult, SheetSpec, get_importer
from .choices import RUNNING_STATUSES, ImportJobStatus
from .models import ImportJob
from .reader import parse_sheet
from .report import error_copy
from .safety import UploadRefused, check_upload
from .sandbox import DEFAULT_SECONDS, ParseAborted, run_isolated
from .signals import import_committed

logger = logging.getLogger(__name__)

MAX_STORED_ERRORS = 5_000  # the marked copy carries every error; the page shows these
DEFAULT_STALE_SECONDS = 600  # no step takes this long; a longer silence means the worker died
HEARTBEAT_SECONDS = 10
Progress = Callable[[int, str], None]

STALE_MESSAGE = "后台任务进程已中断，导入未完成，未写入任何数据，请重新上传"
SYSTEM_ERROR_MESSAGE = "导入过程中出现系统错误，未写入任何数据。请稍后重试或联系管理员。"
CRASHED_MESSAGE = (
    "读取文件时超出内存限制或解析程序异常退出，已停止导入，未写入任何数据。请检查工作表中"
    "是否有远离数据区域的内容或格式，将数据复制到新的导入模板后再上传"
)


class JobAbandoned(Exception):
    """The job was marked failed (its heartbeat went stale) while this worker still ran it."""


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
    isolate: bool = False,
) -> ImportResult:
    """Check, read and validate the whole file, then write it in one transaction.

    Raises `UploadRefused` for an unsafe or unreadable file and `ImportRejected` with every
    cell and row error (the reader's and the importer's together); in both cases nothing
    is written. `job` and `progress` (percent, Chinese stage) are told how far it got.
    `isolate`: parse the file in a child process only (`sandbox`), so a parser crash is
    `ParseAborted` rather than the end of this process.
    """
    if not can(user, get_importer(kind).upload_action):
        raise PermissionDenied("您没有导入数据的权限")
    step = partial(_step, job=job, progress=progress)
    with collector_paused():
        return _import(kind, data, filename, year, user, step, job=job, isolate=isolate)


def _import(
    kind: str, data: bytes, filename: str, year: int, user, step, *, job, isolate
) -> ImportResult:
    importer = get_importer(kind)
    step(ImportJobStatus.VALIDATING, 5)
    check_upload(data, filename)  # before any parser meets the file, in a child or here
    step(ImportJobStatus.VALIDATING, 15)
    if isolate:  # only the parsed columns come back: this process never reads the file
        parse = partial(parse_sheet, importer.spec, data, filename)
        parsed = run_isolated(parse, on_wait=_Heartbeat(job))
    else:
        parsed = parse_sheet(importer.spec, data, filename)
    rows, errors = parsed.rows()
    step(ImportJobStatus.VALIDATING, 40, total_rows=len(rows))
    rows_with_errors = {e.row for e in errors}
    valid = [row for row in rows if row.number not in rows_with_errors] if errors else rows
    if valid:
        # Rows whose cells parsed still get the importer's checks, so one round shows all.
        errors = errors + _on_sheet(
            importer.validate(valid, year=year, user=user), importer.spec, parsed.sheet
        )
    if errors:
        raise ImportRejected(sort_errors(errors, importer.spec))
    step(ImportJobStatus.WRITING, 60)
    try:
        with transaction.atomic():
            result = importer.write(rows, year=year, user=user)
            if job is not None:
                _hold_job(job)
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
    except ColumnsMissing as exc:
        raise ImportRejected(
            [CellError(parsed.sheet, 0, "", "", exc.message(importer.spec))]
        ) from exc


def _on_sheet(errors: list[CellError], spec: SheetSpec, actual: str) -> list[CellError]:
    """Importers name the sheet by the spec's title; point their errors at the sheet that
    was actually read (the first sheet, when the user renamed it)."""
    errors = list(errors)
    if not errors:
        return errors
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
        changes = _beat(job, status=status, progress=percent, **fields)
        for name, value in changes.items():
            setattr(job, name, value)
    if progress is not None:
        progress(percent, ImportJobStatus(status).label)


class _Heartbeat:
    """Called while the parse runs in a child: keeps the job's heartbeat fresh."""

    def __init__(self, job: ImportJob | None) -> None:
        self.job = job
        self.last = timezone.now()

    def __call__(self) -> None:
        now = timezone.now()
        if self.job is None or (now - self.last).total_seconds() < HEARTBEAT_SECONDS:
            return
        self.last = now
        _beat(self.job)


def _hold_job(job: ImportJob) -> None:
    """Inside the write transaction: refresh the heartbeat, which also locks the job's row
    until commit, so it cannot be declared dead meanwhile; if it already was, roll back."""
    _beat(job, statuses=(ImportJobStatus.WRITING,))


def _beat(job: ImportJob, *, statuses=RUNNING_STATUSES, **changes) -> dict:
    """Write `changes` and a fresh heartbeat to `job` while it is still in `statuses`; raise
    `JobAbandoned` when it was declared dead meanwhile. Returns what was written."""
    changes["heartbeat_at"] = timezone.now()
    if not ImportJob.objects.filter(pk=job.pk, status__in=statuses).update(**changes):
        raise JobAbandoned
    return changes


def import_job_create(
    *,
    kind: str,
    data: bytes,
    filename: str,
    year: int,
    user,
    address: str | None = None,
    summary: str = "上传导入文件",
) -> ImportJob:
    """Store the upload under MEDIA_ROOT/imports/ and queue its import. The upload is audited
    here, with the uploader's address: the import itself runs later, in a worker."""
    from .tasks import run_import_job

    # an unknown kind fails here, not in the worker
    if not can(user, get_importer(kind).upload_action):
        raise PermissionDenied("您没有导入数据的权限")
    job = ImportJob(kind=kind, year=year, filename=filename[-255:], created_by=user)
    job.full_clean(exclude=["file"])
    job.file.save("upload.xlsx", ContentFile(data), save=False)
    job.save()
    audit_record(
        actor=user,
        instance=job,
        action=AuditAction.UPLOAD,
        after=snapshot(job, ["kind", "year", "filename"]),
        summary=summary,
        address=address,
    )
    transaction.on_commit(partial(run_import_job.enqueue, job_id=job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued job; the outcome (counts, errors, marked copy) is stored on the job."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.VALIDATING, heartbeat_at=timezone.now()
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job  # already picked up by another worker, or a retry of a finished job
    data = b""
    keep_upload = False  # for a retry, when the failure was not the file's
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
            isolate=True,
        )
    except JobAbandoned:
        return job  # declared dead meanwhile; its status and upload are already dealt with
    except ParseAborted as exc:
        logger.error("Import job %s: parsing aborted (%s)", job.pk, exc.reason)
        _finish(job, ImportJobStatus.FAILED, message=_aborted_message(exc.reason))
    except UploadRefused as exc:
        _finish(job, ImportJobStatus.REJECTED, message=exc.message)
    except ImportRejected as exc:
        _reject(job, data, exc.errors)
    except PermissionDenied as exc:
        _finish(job, ImportJobStatus.REJECTED, message=str(exc))
    except Exception:
        # The job must say it failed whatever went wrong; the traceback goes to the log.
        logger.exception("Import job %s failed", job.pk)
        _finish(job, ImportJobStatus.FAILED, message=SYSTEM_ERROR_MESSAGE)
        keep_upload = True
    else:
        _finish(
            job,
            ImportJobStatus.DONE,
            created_count=result.created,
            updated_count=result.updated,
            unchanged_count=result.unchanged,
            message="\n".join(result.messages),
        )
    if not keep_upload:
        _discard_upload(job)
    return job


def _aborted_message(reason: str) -> str:
    if reason == "timeout":
        seconds = getattr(settings, "IMPORT_PARSE_SECONDS", DEFAULT_SECONDS)
        return (
            f"读取文件超过 {seconds} 秒仍未完成，已停止导入，未写入任何数据。"
            "请拆分文件或将数据复制到新的导入模板后再上传"
        )
    return CRASHED_MESSAGE


def _discard_upload(job: ImportJob) -> None:
    """Uploads carry ID numbers in clear: once the job is over only the database copy
    (encrypted) and, for a rejected file, the marked copy remain (purged after some days)."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def import_jobs_fail_stale(*, jobs: models.QuerySet | None = None) -> int:
    """Mark failed the running jobs (of `jobs`, default all) whose worker stopped beating.
    The upload stays for a retry until `import_files_purge` removes it."""
    seconds = getattr(settings, "IMPORT_JOB_STALE_SECONDS", DEFAULT_STALE_SECONDS)
    cutoff = timezone.now() - timezone.timedelta(seconds=seconds)
    running = (ImportJob.objects if jobs is None else jobs).filter(
        status__in=[ImportJobStatus.VALIDATING, ImportJobStatus.WRITING]
    )
    stale = running.filter(
        models.Q(heartbeat_at__lt=cutoff)
        | models.Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    if not stale.exists():  # pages call this on every load: read first, write rarely
        return 0
    return stale.update(
        status=ImportJobStatus.FAILED,
        finished_at=timezone.now(),
        message=STALE_MESSAGE,
    )


@dataclass
class Purged:
    failed: int = 0  # jobs found abandoned and marked failed
    uploads: int = 0
    error_copies: int = 0


def import_files_purge(*, days: int) -> Purged:
    """Mark abandoned jobs failed (a dead worker's, and any queued for more than `days`);
    then delete the uploads and marked error copies (both hold clear ID numbers) of jobs
    that ended more than `days` ago."""
    cutoff = timezone.now() - timezone.timedelta(days=days)
    purged = Purged(failed=import_jobs_fail_stale())
    purged.failed += ImportJob.objects.filter(
        status=ImportJobStatus.QUEUED, created_at__lt=cutoff
    ).update(status=ImportJobStatus.FAILED, finished_at=timezone.now(), message=STALE_MESSAGE)
    ended = ImportJob.objects.exclude(status__in=RUNNING_STATUSES).filter(
        models.Q(finished_at__lt=cutoff) | models.Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    for job in ended.exclude(file=""):
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
        purged.uploads += 1
    for job in ended.exclude(error_copy=""):
        job.error_copy.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(error_copy="")
        purged.error_copies += 1
    return purged


def import_job_retry(*, job: ImportJob, user, address: str | None = None) -> ImportJob:
    """Queue the upload of a failed job again, as a new job (audited as `user`'s upload of the
    same file); the failed one keeps its record. The new job stays the uploader's, when a
    superuser retries it: it runs within the uploader's scope, not the superuser's wider one,
    and the uploader sees how it ended. Refused when the upload is gone (it must be uploaded
    again)."""
    if not can(user, get_importer(job.kind).upload_action):
        raise PermissionDenied("您没有导入数据的权限")
    import_jobs_fail_stale(jobs=ImportJob.objects.filter(pk=job.pk))
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJobStatus.FAILED:
            raise ValidationError("只有失败的导入任务可以重试")
        if job.file and job.file.storage.exists(job.file.name):
            retry = ImportJob(
                kind=job.kind, year=job.year, filename=job.filename, created_by=job.created_by
            )
            retry.file.name = job.file.name  # the stored file moves to the new job
            retry.full_clean()
            retry.save()
            audit_record(
                actor=user,
                instance=retry,
                action=AuditAction.UPLOAD,
                after={**snapshot(retry, ["kind", "year", "filename"]), "retry_of": job.pk},
                summary=f"重新导入失败任务 #{job.pk} 的上传文件",
                address=address,
            )
            ImportJob.objects.filter(pk=job.pk).update(file="")
            transaction.on_commit(partial(_enqueue, retry.pk))
            return retry
        ImportJob.objects.filter(pk=job.pk).update(file="")
    raise ValidationError("原上传文件已按规定删除，请重新上传文件")


def _enqueue(job_id: int) -> None:
    from .tasks import run_import_job

    run_import_job.enqueue(job_id=job_id)


def _reject(job: ImportJob, data: bytes, errors: list[CellError]) -> None:
    spec = get_importer(job.kind).spec
    try:  # openpyxl holds every cell in memory: in a child too, so it cannot sink the worker
        marked = run_isolated(error_copy, data, errors, spec, on_wait=_Heartbeat(job))
    except Exception:
        # openpyxl cannot open every file calamine can; the error list still shows.
        logger.exception("Error copy of import job %s failed", job.pk)
        marked = None
    if marked is not None:
        job.error_copy.save("marked-errors.xlsx", ContentFile(marked), save=False)
    copy = job.error_copy.name or ""
    ended = _finish(
        job,
        ImportJobStatus.REJECTED,
        errors=[asdict(e) for e in errors[:MAX_STORED_ERRORS]],
        error_count=len(errors),
        error_copy=copy,
        message=f"共发现 {len(errors)} 处错误。请改正后重新上传整个文件。",
    )
    if not ended and copy:  # declared dead meanwhile: keep no stray copy
        job.error_copy.storage.delete(copy)


def _finish(job: ImportJob, status: str, **fields) -> bool:
    """End a job still running (not one declared dead meanwhile); True if it was."""
    changes = {"status": status, "progress": 100, "finished_at": timezone.now(), **fields}
    ended = ImportJob.objects.filter(pk=job.pk, status__in=RUNNING_STATUSES).update(**changes)
    if not ended:
        job.refresh_from_db()
        return False
    for name, value in changes.items():
        if name != "error_copy":
            setattr(job, name, value)
    return True
