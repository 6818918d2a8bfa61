"""Import jobs that meet hostile files, dead workers and stale uploads."""

import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from ruraledu.orgunits.models import Department
from ruraledu.spreadsheets import extent
from ruraledu.spreadsheets.choices import ImportJobStatus
from ruraledu.spreadsheets.models import ImportJob
from ruraledu.spreadsheets.services import (
    CRASHED_MESSAGE,
    STALE_MESSAGE,
    JobAbandoned,
    _hold_job,
    import_files_purge,
    import_job_create,
    import_job_retry,
    import_jobs_fail_stale,
)

from .importer import SPEC
from .xlsx import far_corner_workbook, from_template, row

KIND = SPEC.kind


def create_job(data, user, django_capture_on_commit_callbacks) -> ImportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(
            kind=KIND, data=data, filename="部门名录.xlsx", year=2025, user=user
        )
    job.refresh_from_db()
    return job


def ago(**delta) -> timezone.datetime:
    return timezone.now() - timezone.timedelta(**delta)


def uploads(media_root) -> list[Path]:
    return [p for p in (Path(media_root) / "imports").rglob("*.xlsx") if "errors" not in p.name]


def test_the_far_corner_file_is_refused_with_the_reason(
    district_admin, django_capture_on_commit_callbacks
):
    job = create_job(far_corner_workbook(), district_admin, django_capture_on_commit_callbacks)
    assert job.status == ImportJobStatus.REJECTED
    assert job.message == (
        "文件“部门名录.xlsx”的工作表“部门名录”声明的范围 A1:XFD1048576 远超实际数据"
        "（共 10 个单元格），请将数据复制到新的导入模板后再上传"
    )
    assert not job.file


def test_a_parser_that_dies_fails_the_job_and_the_worker_survives(
    district_admin, monkeypatch, media_root, django_capture_on_commit_callbacks
):
    # given the pre-check switched off, so the real reader meets the far-corner file
    monkeypatch.setattr(extent.SheetExtent, "problem", lambda self: None)
    # when the job runs (the reader aborts its process while allocating)
    job = create_job(far_corner_workbook(), district_admin, django_capture_on_commit_callbacks)
    # then this process is alive to tell: the job failed with the reason, nothing written
    assert job.status == ImportJobStatus.FAILED
    assert job.message == CRASHED_MESSAGE
    assert (job.progress, job.finished_at is not None) == (100, True)
    assert Department.objects.count() == 0
    assert not job.file and uploads(media_root) == []
    # and the next job runs as usual
    job = create_job(from_template([row()]), district_admin, django_capture_on_commit_callbacks)
    assert job.status == ImportJobStatus.DONE
    assert os.getpid() > 0


def test_the_command_line_refuses_the_far_corner_file(tmp_path, district_admin):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(far_corner_workbook())
    with pytest.raises(CommandError, match="文件未导入：.*声明的范围 A1:XFD1048576 远超实际数据"):
        call_command("import_xlsx", KIND, str(path), "--year", "2025", "--user", "district_admin")


def running_job(user, *, heartbeat, status=ImportJobStatus.VALIDATING, file="") -> ImportJob:
    job = ImportJob.objects.create(
        kind=KIND, year=2025, filename="部门名录.xlsx", created_by=user, status=status
    )
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=heartbeat, file=file)
    job.refresh_from_db()
    return job


def test_a_running_job_without_a_heartbeat_for_too_long_is_failed(district_admin, settings):
    settings.IMPORT_JOB_STALE_SECONDS = 600
    dead = running_job(district_admin, heartbeat=ago(minutes=11))
    writing = running_job(district_admin, heartbeat=ago(hours=1), status=ImportJobStatus.WRITING)
    alive = running_job(district_admin, heartbeat=ago(minutes=2))
    queued = running_job(district_admin, heartbeat=None, status=ImportJobStatus.QUEUED)
    assert import_jobs_fail_stale() == 2
    for job in (dead, writing, alive, queued):
        job.refresh_from_db()
    assert (dead.status, dead.message) == (ImportJobStatus.FAILED, STALE_MESSAGE)
    assert writing.status == ImportJobStatus.FAILED
    assert dead.finished_at is not None
    assert (alive.status, queued.status) == (ImportJobStatus.VALIDATING, ImportJobStatus.QUEUED)


def test_a_worker_declared_dead_stops_at_its_next_step(
    district_admin, monkeypatch, django_capture_on_commit_callbacks
):
    # given the job is declared dead while its worker is still validating
    from .importer import DepartmentImporter

    def validate_slowly(self, rows, *, year, user):
        ImportJob.objects.update(status=ImportJobStatus.FAILED, message=STALE_MESSAGE)
        return []

    monkeypatch.setattr(DepartmentImporter, "validate", validate_slowly)
    job = create_job(from_template([row()]), district_admin, django_capture_on_commit_callbacks)
    # then the worker wrote nothing and the job keeps saying why
    assert (job.status, job.message) == (ImportJobStatus.FAILED, STALE_MESSAGE)
    assert Department.objects.count() == 0


def test_a_job_declared_dead_while_rejecting_keeps_no_marked_copy(
    district_admin, monkeypatch, media_root, django_capture_on_commit_callbacks
):
    from ruraledu.spreadsheets.base import CellError

    from .importer import DepartmentImporter

    def validate_and_die(self, rows, *, year, user):
        ImportJob.objects.update(status=ImportJobStatus.FAILED, message=STALE_MESSAGE)
        return [CellError(SPEC.title, 2, "部门代码", "x", "不对")]

    monkeypatch.setattr(DepartmentImporter, "validate", validate_and_die)
    job = create_job(from_template([row()]), district_admin, django_capture_on_commit_callbacks)
    assert (job.status, job.message, job.error_copy.name) == (
        ImportJobStatus.FAILED,
        STALE_MESSAGE,
        "",
    )
    assert list((Path(media_root) / "imports").rglob("*errors*")) == []


def test_a_write_commits_only_while_its_job_is_alive(district_admin):
    # the write transaction ends by refreshing the heartbeat of a job still writing
    job = running_job(district_admin, heartbeat=ago(hours=1), status=ImportJobStatus.WRITING)
    _hold_job(job)
    job.refresh_from_db()
    assert job.heartbeat_at > ago(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.FAILED)
    with pytest.raises(JobAbandoned):
        _hold_job(job)


def test_a_failed_job_is_retried_with_its_upload(
    district_admin, media_root, django_capture_on_commit_callbacks
):
    # given a job whose worker died; its upload is still there
    stored = Path(media_root) / "imports" / "kept.xlsx"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(from_template([row()]))
    dead = running_job(district_admin, heartbeat=ago(hours=1), file="imports/kept.xlsx")
    import_jobs_fail_stale()
    dead.refresh_from_db()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        retry = import_job_retry(job=dead, user=district_admin)
    # then a new job imported the same file for the same year; the failed one stays failed
    retry.refresh_from_db()
    dead.refresh_from_db()
    assert (retry.kind, retry.year, retry.status) == (KIND, 2025, ImportJobStatus.DONE)
    assert Department.objects.get(code="health").name == "区卫生健康局"
    assert dead.status == ImportJobStatus.FAILED and not dead.file
    assert uploads(media_root) == []


def test_a_failed_job_whose_upload_is_gone_asks_for_a_new_upload(district_admin):
    dead = running_job(district_admin, heartbeat=ago(hours=1), file="imports/gone.xlsx")
    import_jobs_fail_stale()
    dead.refresh_from_db()
    with pytest.raises(ValidationError, match="原上传文件已按规定删除，请重新上传文件"):
        import_job_retry(job=dead, user=district_admin)
    assert ImportJob.objects.count() == 1


def test_only_failed_jobs_are_retried(district_admin):
    job = running_job(district_admin, heartbeat=timezone.now())
    with pytest.raises(ValidationError, match="只有失败的导入任务可以重试"):
        import_job_retry(job=job, user=district_admin)


def test_the_purge_fails_abandoned_jobs_and_removes_their_old_uploads(district_admin, media_root):
    # given the upload of a job whose worker died 8 days ago, one of a job queued for 8
    # days, and one of a job that is running now
    folder = Path(media_root) / "imports"
    folder.mkdir(parents=True)
    for name in ("dead", "queued", "live"):
        (folder / f"{name}.xlsx").write_bytes(b"PK")
    dead = running_job(district_admin, heartbeat=ago(days=8), file="imports/dead.xlsx")
    queued = running_job(
        district_admin, heartbeat=None, status=ImportJobStatus.QUEUED, file="imports/queued.xlsx"
    )
    ImportJob.objects.filter(pk=queued.pk).update(created_at=ago(days=8))
    live = running_job(district_admin, heartbeat=timezone.now(), file="imports/live.xlsx")
    # when
    call_command("purge_import_files", "--days", "7")
    # then both abandoned jobs failed; their uploads stay for a retry until the next purge
    dead.refresh_from_db()
    queued.refresh_from_db()
    assert dead.status == queued.status == ImportJobStatus.FAILED
    assert dead.message == STALE_MESSAGE
    assert sorted(p.name for p in folder.iterdir()) == ["dead.xlsx", "live.xlsx", "queued.xlsx"]
    # when the retention has passed since they failed
    ImportJob.objects.filter(pk__in=[dead.pk, queued.pk]).update(finished_at=ago(days=8))
    purged = import_files_purge(days=7)
    # then their uploads are gone; the running job's stays
    assert (purged.failed, purged.uploads, purged.error_copies) == (0, 2, 0)
    assert [p.name for p in folder.iterdir()] == ["live.xlsx"]
    dead.refresh_from_db()
    live.refresh_from_db()
    assert not dead.file and live.file.name == "imports/live.xlsx"
