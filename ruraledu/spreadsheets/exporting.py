"""Exports of a kind's records: one school's on the page, a whole scope's as a background job.

Either way the rows come from the importer's scoped `export_rows`, every child a row shows
in clear is logged, and an export that may carry clear ID numbers leaves one more log row
naming the file. A job's file is its requester's alone and is deleted after
`EXPORT_FILE_KEEP_HOURS` (a day).
"""

import datetime as dt
import logging
import tempfile
from collections.abc import Iterable
from functools import partial
from pathlib import PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ruraledu.accounts.scoping import role_fingerprint
from ruraledu.audit.personal_access import ChildReads
from ruraledu.core.models import PersonalDataAccess

from .base import get_importer
from .choices import EXPORT_WAITING, ExportJobStatus
from .export import export_xlsx
from .importing import can_view_personal
from .models import ExportJob, export_file_path

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "生成导出文件时出现系统错误，请稍后重新导出或联系管理员。"
STALE_MESSAGE = "后台任务进程已中断，导出文件未生成，请重新导出"
BUSY_MESSAGE = "您有一个导出正在生成，请等它完成后再导出其他数据。"
HEARTBEAT_ROWS = 5_000  # a running export says it is alive this often (about every second)
# a queued export waits on imports for the same workers: given longer than a silent one
QUEUED_STALE_FACTOR = 6
FOLDER = "exports"
# a page's export past this many rows would hold the request for seconds (a district's roster:
# 70,000): such an export is made as a job instead (我的导出)
PAGE_ROWS = 20_000


def export_write(
    stream: BinaryIO,
    *,
    kind: str,
    year: int,
    user,
    school: str = "",
    address: str | None,
    alive=None,
    limit: int | None = None,
) -> int:
    """Write the user's records of `kind` (one school's when `school` is a code) to `stream`
    as .xlsx and log the children it shows in clear; returns the row count. `alive()` is
    called every HEARTBEAT_ROWS rows; past `limit` rows, `ExportTooLarge`."""
    importer = get_importer(kind)
    rows = importer.export_rows(year=year, user=user, school=school or None)
    if alive is not None:
        rows = _beating(rows, alive)
    if school:  # kinds that cannot narrow their query by school
        rows = (row for row in rows if row.get("school") == school)
    if limit is not None:
        rows = _capped(rows, limit)
    reads = ChildReads(user, "export", address)  # each child a row names is logged
    title = importer.spec.title
    count = export_xlsx(importer.spec.columns, reads.through(rows), stream, title)
    if _shows_ids(kind, user):  # logged once the file is made: a refused one shows nothing
        PersonalDataAccess.objects.create(
            user=user,
            subject=f"export:{kind}:{year}:{school or '全部'}"[:50],
            purpose="export",
            address=address,
        )
    reads.save()
    return count


def _capped(rows: Iterable, limit: int) -> Iterable:
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise ExportTooLarge
        yield row


def _beating(rows: Iterable, alive) -> Iterable:
    for count, row in enumerate(rows, start=1):
        if count % HEARTBEAT_ROWS == 0:
            alive()
        yield row


class ExportTooLarge(Exception):
    """A page's export ran past its row limit: nothing was served or logged."""


class ExportBusy(Exception):
    """The user already has an export of another kind or year being made."""


class ExportAbandoned(Exception):
    """The job was declared dead (its heartbeat went stale) while this worker still ran it."""


def export_job_create(*, kind: str, year: int, user, address: str | None) -> ExportJob:
    """Queue an export of everything of `kind` in the user's scope. One export per user is
    made at a time (a city's roster holds a worker for minutes, and school uploads wait on the
    same workers): a request for the one being made gets that job, for another `ExportBusy`."""
    from .tasks import run_export_job

    get_importer(kind)  # an unknown kind fails here, not in the worker
    mine = ExportJob.objects.filter(created_by=user)
    export_jobs_fail_stale(jobs=mine)  # a dead worker's job must not hold the user's turn
    for _ in range(2):  # the waiting one may finish between the refusal and the look-up
        try:
            with transaction.atomic():
                job = ExportJob.objects.create(
                    kind=kind, year=year, created_by=user, address=address
                )
                transaction.on_commit(partial(run_export_job.enqueue, job_id=job.pk))
            return job
        except IntegrityError:  # one waiting export per user (a constraint: requests at once)
            waiting = mine.filter(status__in=EXPORT_WAITING).first()
            if waiting is not None:
                if (waiting.kind, waiting.year) != (kind, year):
                    raise ExportBusy(BUSY_MESSAGE) from None
                return waiting
    raise ExportBusy(BUSY_MESSAGE)


def export_job_run(*, job_id: int) -> ExportJob:
    """Make a queued job's file. Its rows are read as the requester would see them now, and
    the file is served only while the requester's roles stay as they were then."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJobStatus.QUEUED).update(
        status=ExportJobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job  # another worker has it, or it was declared dead
    running = ExportJob.objects.filter(pk=job.pk, status=ExportJobStatus.RUNNING)
    name = ""
    # No transaction around it: on SQLite one would hold the write lock for the whole export.
    try:
        with tempfile.TemporaryFile() as stream:
            count = export_write(
                stream,
                kind=job.kind,
                year=job.year,
                user=job.created_by,
                address=job.address,
                alive=partial(_beat, running),
            )
            stream.seek(0)
            name = default_storage.save(_file_name(), File(stream))
        # only a job still running gets its file: one declared dead meanwhile stays failed
        done = running.update(
            file=name,
            row_count=count,
            roles=role_fingerprint(job.created_by),
            status=ExportJobStatus.DONE,
            finished_at=timezone.now(),
        )
        if not done:
            default_storage.delete(name)
    except ExportAbandoned:  # already failed; the user may have asked for another since
        logger.warning("Export job %s was declared dead while it ran; stopped", job.pk)
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        if name:
            default_storage.delete(name)
        running.update(
            status=ExportJobStatus.FAILED, finished_at=timezone.now(), message=FAILED_MESSAGE
        )
    job.refresh_from_db()
    export_files_purge()  # besides the daily purge: a file is gone soon after its time is up
    return job


def _beat(running: models.QuerySet) -> None:
    """Say the job is alive; stop it if it was declared dead meanwhile."""
    if not running.update(heartbeat_at=timezone.now()):
        raise ExportAbandoned


def _file_name() -> str:
    return export_file_path(None, "")


def export_jobs_fail_stale(*, jobs: models.QuerySet | None = None) -> int:
    """Mark failed the jobs (of `jobs`, default all) whose worker stopped beating, or that no
    worker took up in that time."""
    seconds = settings.EXPORT_JOB_STALE_SECONDS
    now = timezone.now()
    stale = (ExportJob.objects if jobs is None else jobs).filter(
        models.Q(
            status=ExportJobStatus.RUNNING, heartbeat_at__lt=now - dt.timedelta(seconds=seconds)
        )
        | models.Q(
            status=ExportJobStatus.QUEUED,
            created_at__lt=now - dt.timedelta(seconds=seconds * QUEUED_STALE_FACTOR),
        )
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
    """Delete the files of exports past keeping, and any file in the exports folder no job
    names that is as old (a worker killed between writing a file and recording it); returns
    how many."""
    cutoff = kept_since()
    purged = 0
    for job in ExportJob.objects.exclude(file="").filter(finished_at__lt=cutoff):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        purged += 1
    named = set(ExportJob.objects.exclude(file="").values_list("file", flat=True))
    for name in _stored_files(FOLDER):
        try:
            if name not in named and default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                purged += 1
        except FileNotFoundError:  # another purge took it first
            continue
    return purged


def _stored_files(folder: str) -> Iterable[str]:
    if not default_storage.exists(folder):
        return
    folders, files = default_storage.listdir(folder)
    for name in files:
        yield str(PurePosixPath(folder, name))
    for sub in folders:
        yield from _stored_files(str(PurePosixPath(folder, sub)))


def export_download_allowed(job: ExportJob) -> bool:
    """Whether the requester's roles are still those the file was made under: a clerk moved
    to another school no longer downloads the old school's children."""
    return job.roles == role_fingerprint(job.created_by)


def _shows_ids(kind: str, user) -> bool:
    """Whether the kind's file may carry clear ID numbers for this user (one log row then)."""
    columns = get_importer(kind).spec.columns
    return any(c.kind == "id_number" for c in columns) and can_view_personal(user)


def export_download_logged(job: ExportJob, address: str | None) -> None:
    """A download hands the file over again: logged as one row naming the export (each child
    it shows in clear was logged by name when the file was made, for the same user)."""
    if _shows_ids(job.kind, job.created_by):
        PersonalDataAccess.objects.create(
            user=job.created_by,
            subject=f"export:{job.kind}:{job.year}:下载#{job.pk}"[:50],
            purpose="export",
            address=address,
        )


def import_copy_logged(job, user, address: str | None, what: str = "错误标注") -> None:
    """Someone other than the uploader (a superuser) read an upload's children as uploaded —
    its error copy, or the cells of its error list (`what`: 错误列表), which quote the ID
    numbers and names as typed: logged as one row naming the upload; the uploader, not."""
    if job.created_by_id == user.pk:
        return
    if any(c.kind == "id_number" for c in get_importer(job.kind).spec.columns):
        PersonalDataAccess.objects.create(
            user=user,
            subject=f"import:{job.kind}:{job.year}:{what}#{job.pk}"[:50],
            purpose="import_copy" if what == "错误标注" else "import_errors",
            address=address,
        )
