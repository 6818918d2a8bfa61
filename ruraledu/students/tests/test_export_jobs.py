"""A whole-scope roster export made in the background: the same rows, masking and access log
as the page's export, a file for its requester alone, deleted after its keeping time."""

import io
import os
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.core.models import PersonalDataAccess
from ruraledu.spreadsheets import exporting
from ruraledu.spreadsheets.choices import ExportJobStatus
from ruraledu.spreadsheets.models import ExportJob
from ruraledu.students.models import StudentPerson

from .conftest import A_ID, B_ID, YEAR

EXPORT = reverse("spreadsheets:export_all")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def request_export(client, capture, kind="students", address="10.0.0.7"):
    with capture(execute=True):
        return client.post(EXPORT, {"kind": kind, "year": YEAR}, REMOTE_ADDR=address)


def rows_of(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(min_row=2, values_only=True))


def fails_without_a_file(client, user, capture, media_root, message=exporting.FAILED_MESSAGE):
    """The user's export ends failed with `message`, and no file is left behind."""
    client.force_login(user)
    request_export(client, capture)
    job = ExportJob.objects.get()
    assert (job.status, job.message, job.file.name) == (ExportJobStatus.FAILED, message, "")
    assert not list(Path(media_root).rglob("*.xlsx"))


def test_the_export_is_made_in_the_background_with_the_pages_masking_and_log(
    client, two_hats, django_capture_on_commit_callbacks
):
    client.force_login(two_hats)
    response = request_export(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert (job.status, job.row_count, job.created_by) == (ExportJobStatus.DONE, 2, two_hats)
    page = client.get(reverse("spreadsheets:job_list")).content.decode()
    download = reverse("spreadsheets:export_download", args=[job.pk])
    assert download in page and "下载（2 行）" in page
    rows = rows_of(client.get(download, REMOTE_ADDR="10.0.0.8"))
    by_school = {row[6]: (row[1], row[2]) for row in rows}
    assert by_school["SA"] == (A_ID, "张小明")
    assert by_school["SB"][1] == "李*红" and B_ID not in by_school["SB"][0]
    a = StudentPerson.objects.get(name="张小明")
    logged = PersonalDataAccess.objects.values_list("user", "subject", "purpose", "address")
    # the export and the child shown in full at the request's address; the download at its own
    assert sorted(logged) == sorted(
        [
            (two_hats.pk, f"export:students:{YEAR}:全部", "export", "10.0.0.7"),
            (two_hats.pk, f"students.studentperson:{a.pk}", "export", "10.0.0.7"),
            (two_hats.pk, f"export:students:{YEAR}:下载#{job.pk}", "export", "10.0.0.8"),
        ]
    )


def test_the_file_is_its_requesters_alone(
    client, two_hats, district_admin, django_capture_on_commit_callbacks
):
    client.force_login(two_hats)
    request_export(client, django_capture_on_commit_callbacks)
    download = reverse("spreadsheets:export_download", args=[ExportJob.objects.get().pk])
    for other in (district_admin, UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(other)
        assert client.get(download).status_code == 404
        assert download not in client.get(reverse("spreadsheets:job_list")).content.decode()


def test_one_export_per_user_is_made_at_a_time(client, two_hats):
    client.force_login(two_hats)
    for _ in range(2):  # not run: the worker has not taken it yet
        client.post(EXPORT, {"kind": "students", "year": YEAR})
    assert ExportJob.objects.get().status == ExportJobStatus.QUEUED
    table = client.get(reverse("spreadsheets:export_table")).content.decode()
    # the table reloads itself while the export is being made
    assert 'hx-trigger="every 2s"' in table and "排队中" in table
    # another kind waits its turn: a city's roster holds a worker for minutes
    response = client.post(EXPORT, {"kind": "staff", "year": YEAR}, follow=True)
    assert exporting.BUSY_MESSAGE in response.content.decode()
    assert ExportJob.objects.count() == 1
    # the database holds the rule, for two requests at once
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(kind="staff", year=YEAR, created_by=two_hats)


def test_a_queued_export_no_worker_took_gives_way_to_a_new_one(client, two_hats, settings):
    client.force_login(two_hats)
    client.post(EXPORT, {"kind": "students", "year": YEAR})
    waited = settings.EXPORT_JOB_STALE_SECONDS * exporting.QUEUED_STALE_FACTOR + 1
    long_ago = timezone.now() - timezone.timedelta(seconds=waited)
    ExportJob.objects.update(created_at=long_ago)
    client.post(EXPORT, {"kind": "students", "year": YEAR})
    assert sorted(ExportJob.objects.values_list("status", flat=True)) == [
        ExportJobStatus.FAILED,
        ExportJobStatus.QUEUED,
    ]


def test_the_file_is_not_served_once_the_requesters_roles_changed(
    client, two_hats, django_capture_on_commit_callbacks
):
    client.force_login(two_hats)
    request_export(client, django_capture_on_commit_callbacks)
    download = reverse("spreadsheets:export_download", args=[ExportJob.objects.get().pk])
    assert client.get(download).status_code == 200
    # the clerk of school A leaves it: the file holds A's children in clear
    two_hats.role_assignments.filter(role=Role.SCHOOL_CLERK).delete()
    response = client.get(download, follow=True)
    assert "您的角色已变更" in response.content.decode()
    assert not response.get("Content-Disposition")


def test_a_file_past_its_keeping_time_is_not_served_and_is_deleted(
    client, two_hats, django_capture_on_commit_callbacks, settings
):
    client.force_login(two_hats)
    request_export(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    stored = Path(job.file.path)
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timezone.timedelta(hours=settings.EXPORT_FILE_KEEP_HOURS + 1)
    )
    download = reverse("spreadsheets:export_download", args=[job.pk])
    assert client.get(download).status_code == 404
    assert "已过保留期" in client.get(reverse("spreadsheets:job_list")).content.decode()
    assert stored.exists()
    call_command("purge_import_files")
    job.refresh_from_db()
    assert not job.file and not stored.exists()


def test_a_failed_export_says_so_and_leaves_no_file(
    client, two_hats, django_capture_on_commit_callbacks, monkeypatch, media_root
):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    # it fails after the file is stored, before the job records it
    monkeypatch.setattr(exporting, "role_fingerprint", broken)
    fails_without_a_file(client, two_hats, django_capture_on_commit_callbacks, media_root)


def test_an_export_declared_dead_while_it_ran_stays_failed_and_keeps_no_file(
    client, two_hats, django_capture_on_commit_callbacks, monkeypatch, media_root, settings
):
    write = exporting.export_write

    def slow(*args, **kwargs):
        count = write(*args, **kwargs)
        exporting.export_jobs_fail_stale(jobs=ExportJob.objects.all())  # its heartbeat stale
        return count

    monkeypatch.setattr(exporting, "export_write", slow)
    settings.EXPORT_JOB_STALE_SECONDS = -1  # any heartbeat is old
    fails_without_a_file(
        client, two_hats, django_capture_on_commit_callbacks, media_root, exporting.STALE_MESSAGE
    )


def test_an_export_declared_dead_stops_at_its_next_heartbeat(
    client, two_hats, django_capture_on_commit_callbacks, monkeypatch, media_root
):
    went_on = []

    def dying(stream, *, alive, **kwargs):
        ExportJob.objects.update(status=ExportJobStatus.FAILED, message=exporting.STALE_MESSAGE)
        alive()  # the worker learns it here, and goes no further
        went_on.append(True)
        return 0

    monkeypatch.setattr(exporting, "export_write", dying)
    fails_without_a_file(
        client, two_hats, django_capture_on_commit_callbacks, media_root, exporting.STALE_MESSAGE
    )
    assert not went_on


def test_the_purge_sweeps_a_file_no_export_names_once_it_is_old(media_root, settings, db):
    folder = Path(media_root) / "exports" / "2026" / "12"
    folder.mkdir(parents=True)
    old, new = folder / "old.xlsx", folder / "new.xlsx"
    for path in (old, new):
        path.write_bytes(b"PK")
    hours_ago = timezone.now().timestamp() - (settings.EXPORT_FILE_KEEP_HOURS + 1) * 3600
    os.utime(old, (hours_ago, hours_ago))
    assert exporting.export_files_purge() == 1
    assert not old.exists() and new.exists()  # a new one may be a file being recorded


def test_an_export_whose_worker_died_is_shown_failed(client, two_hats, settings):
    client.force_login(two_hats)
    client.post(EXPORT, {"kind": "students", "year": YEAR})
    beat = timezone.now() - timezone.timedelta(seconds=settings.EXPORT_JOB_STALE_SECONDS + 1)
    ExportJob.objects.update(status=ExportJobStatus.RUNNING, started_at=beat, heartbeat_at=beat)
    page = client.get(reverse("spreadsheets:job_list")).content.decode()
    assert exporting.STALE_MESSAGE in page
    assert ExportJob.objects.get().status == ExportJobStatus.FAILED


def test_only_the_kinds_offered_can_be_exported(client, two_hats):
    client.force_login(two_hats)
    # 资助 names children in hardship: it leaves only through its own logged gap list
    for kind in ("aid", "nonsense"):
        response = client.post(EXPORT, {"kind": kind, "year": YEAR}, follow=True)
        assert "请选择要导出的数据类型和学年" in response.content.decode()
    assert not ExportJob.objects.exists()
    assert client.get(EXPORT).status_code == 405
