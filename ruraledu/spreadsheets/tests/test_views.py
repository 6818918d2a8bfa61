import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.orgunits.models import Department
from ruraledu.spreadsheets.choices import ImportJobStatus
from ruraledu.spreadsheets.models import ImportJob

from .importer import SPEC
from .xlsx import from_template, row, workbook

KIND = SPEC.kind
UPLOAD = reverse("spreadsheets:upload", args=[KIND])
TEMPLATE = reverse("spreadsheets:template", args=[KIND])


def upload(client, data: bytes, name: str = "部门名录.xlsx", year: int = 2025):
    return client.post(UPLOAD, {"file": ContentFile(data, name=name), "year": year})


def make_job(user, **fields) -> ImportJob:
    defaults = {"kind": KIND, "year": 2025, "filename": "部门名录.xlsx", "file": "imports/x.xlsx"}
    return ImportJob.objects.create(created_by=user, **{**defaults, **fields})


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root")
    user.is_superuser = True
    user.save()
    return user


# --- template download ---------------------------------------------------------------


def test_anonymous_users_are_sent_to_login_for_everything(client, district_admin):
    job = make_job(district_admin)
    for url in (
        TEMPLATE,
        UPLOAD,
        reverse("spreadsheets:job_list"),
        reverse("spreadsheets:job_detail", args=[job.pk]),
        reverse("spreadsheets:job_error_copy", args=[job.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login"))


def test_any_signed_in_user_downloads_the_template(client, district_leader):
    client.force_login(district_leader)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book[SPEC.title]["A1"].value == "部门代码*"


def test_an_unknown_kind_is_404(client, district_admin):
    client.force_login(district_admin)
    assert client.get(reverse("spreadsheets:template", args=["nothing"])).status_code == 404
    assert client.get(reverse("spreadsheets:upload", args=["nothing"])).status_code == 404


# --- upload: permission matrix ---------------------------------------------------------


def test_a_read_only_leader_may_not_upload(client, district_leader):
    client.force_login(district_leader)
    page = client.get(UPLOAD)
    assert page.status_code == 403
    assert "您的角色只能查看数据，不能导入。" in page.content.decode()
    response = upload(client, from_template([row()]))
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0
    assert Department.objects.count() == 0


@pytest.mark.parametrize("persona", ["district_admin", "school_clerk", "town_officer"])
def test_roles_that_change_data_see_the_upload_form(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(UPLOAD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "导入部门名录" in body and 'type="file"' in body


def test_an_admin_upload_creates_a_job_and_imports(
    client, district_admin, django_capture_on_commit_callbacks
):
    client.force_login(district_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, from_template([row()]))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("spreadsheets:job_detail", args=[job.pk])
    assert (job.created_by, job.year, job.filename) == (district_admin, 2025, "部门名录.xlsx")
    assert job.status == ImportJobStatus.DONE
    assert Department.objects.get(code="health").name == "区卫生健康局"
    # the upload is in the audit trail with where it came from, as through the API
    uploaded = AuditEvent.objects.get(action=AuditAction.UPLOAD)
    assert (uploaded.object_id, uploaded.address, uploaded.summary) == (
        str(job.pk),
        "127.0.0.1",
        "上传导入文件",
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (workbook([row(full_name="=1+1")]), "部门名录.xlsx", "工作表“部门名录”C2 单元格含有公式"),
        (b"a,b\n1,2\n", "部门名录.csv", "不支持 CSV/文本文件"),
        (b"a,b\n1,2\n", "部门名录.xlsx", "文件内容不是 Excel 工作簿（.xlsx）"),
    ],
)
def test_an_unsafe_upload_is_refused_on_the_form_and_never_stored(
    client, district_admin, media_root, data, name, message
):
    client.force_login(district_admin)
    response = upload(client, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert not (media_root / "imports").exists()


def test_an_oversized_upload_is_refused_on_the_form(client, district_admin, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    client.force_login(district_admin)
    response = upload(client, from_template([row()]))
    assert "文件过大" in response.content.decode()
    assert ImportJob.objects.count() == 0


# --- job page ----------------------------------------------------------------------------


def test_a_job_page_is_only_for_its_owner_or_a_superuser(
    client, district_admin, school_clerk, superuser
):
    job = make_job(district_admin)
    url = reverse("spreadsheets:job_detail", args=[job.pk])
    client.force_login(school_clerk)
    assert client.get(url).status_code == 404
    client.force_login(district_admin)
    assert client.get(url).status_code == 200
    client.force_login(superuser)
    assert client.get(url).status_code == 200


def test_a_running_job_polls_with_htmx_and_shows_progress(client, district_admin):
    job = make_job(district_admin, status=ImportJobStatus.VALIDATING, progress=40, total_rows=12)
    url = reverse("spreadsheets:job_detail", args=[job.pk])
    client.force_login(district_admin)
    page = client.get(url).content.decode()
    assert "<html" in page and 'hx-trigger="every 1s"' in page
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert f'hx-get="{url}"' in partial and 'hx-trigger="every 1s"' in partial
    assert 'aria-valuenow="40"' in partial and "width: 40%" in partial
    assert "校验中" in partial and "共 12 行数据" in partial


def test_a_finished_job_stops_polling_and_shows_the_counts(client, district_admin):
    job = make_job(
        district_admin,
        status=ImportJobStatus.DONE,
        progress=100,
        total_rows=5,
        created_count=2,
        updated_count=1,
        unchanged_count=2,
    )
    client.force_login(district_admin)
    partial = client.get(
        reverse("spreadsheets:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in partial
    assert "导入完成：共 5 行，新增 2 条，更新 1 条，未变 2 条。" in partial


def test_a_rejected_job_shows_every_error_and_the_marked_copy_to_its_owner_only(
    client, district_admin, school_clerk, superuser, django_capture_on_commit_callbacks
):
    # given a rejected upload
    client.force_login(district_admin)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, from_template([row(sort_order="三"), row(code="b", founded="明年")]))
    job = ImportJob.objects.get()
    page = client.get(reverse("spreadsheets:job_detail", args=[job.pk])).content.decode()
    # then the page lists each error by sheet, row, column, value and rule
    assert "未导入任何数据。" in page
    assert "<td>部门名录</td><td>3</td><td>排序</td><td>三</td><td>应填写整数</td>" in page
    assert "<td>4</td><td>成立日期</td><td>明年</td>" in page
    copy_url = reverse("spreadsheets:job_error_copy", args=[job.pk])
    assert copy_url in page
    # and the marked copy downloads for the owner and a superuser, 404 for anyone else
    response = client.get(copy_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book[SPEC.title]["D3"].comment.text == "排序：应填写整数"
    client.force_login(school_clerk)
    assert client.get(copy_url).status_code == 404
    client.force_login(superuser)
    assert client.get(copy_url).status_code == 200


def test_a_job_without_a_marked_copy_has_nothing_to_download(client, district_admin):
    job = make_job(district_admin, status=ImportJobStatus.DONE)
    client.force_login(district_admin)
    assert client.get(reverse("spreadsheets:job_error_copy", args=[job.pk])).status_code == 404


def test_the_job_list_shows_only_the_users_own_jobs(client, district_admin, school_clerk):
    make_job(district_admin, filename="管理员的文件.xlsx")
    make_job(school_clerk, filename="学校的文件.xlsx")
    client.force_login(school_clerk)
    body = client.get(reverse("spreadsheets:job_list")).content.decode()
    assert "学校的文件.xlsx" in body
    assert "管理员的文件.xlsx" not in body
    assert "部门名录" in body and reverse("spreadsheets:upload", args=[KIND]) in body


def test_the_job_list_offers_a_read_only_user_exports_and_no_upload(client, district_leader):
    client.force_login(district_leader)
    body = client.get(reverse("spreadsheets:job_list")).content.decode()
    assert '<h1 class="h3">数据导出</h1>' in body
    assert reverse("spreadsheets:export_all") in body
    assert UPLOAD not in body and reverse("spreadsheets:template", args=[KIND]) not in body


@pytest.mark.parametrize(
    "persona, label",
    [
        ("district_admin", "数据导入与导出"),
        ("school_clerk", "数据导入与导出"),
        ("district_leader", "数据导出"),
    ],
)
def test_the_menu_names_the_page_as_its_title_does(client, request, persona, label):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("spreadsheets:job_list"))
    entries = [entry for _, group in response.context["nav_groups"] for entry in group]
    assert (label, reverse("spreadsheets:job_list")) in entries
    assert f'<h1 class="h3">{label}</h1>' in response.content.decode()


def test_the_job_list_costs_the_same_queries_however_many_jobs(client, district_admin):
    client.force_login(district_admin)
    url = reverse("spreadsheets:job_list")
    make_job(district_admin)
    client.get(url)  # warm the session and role caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for _ in range(5):
        make_job(district_admin)
    assert queries() == before


# --- dead workers and retries --------------------------------------------------------

STALE = "后台任务进程已中断，导入未完成，未写入任何数据，请重新上传"


def dead_job(user, **fields) -> ImportJob:
    from django.utils import timezone

    job = make_job(user, status=ImportJobStatus.VALIDATING, progress=15, **fields)
    an_hour_ago = timezone.now() - timezone.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=an_hour_ago)
    return job


def test_the_job_page_shows_a_dead_workers_job_as_failed(client, district_admin):
    job = dead_job(district_admin)
    client.force_login(district_admin)
    partial = client.get(
        reverse("spreadsheets:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "every 1s" not in partial and STALE in partial
    assert ImportJob.objects.get(pk=job.pk).status == ImportJobStatus.FAILED


def test_the_job_list_marks_a_dead_workers_job_failed(client, district_admin):
    job = dead_job(district_admin)
    client.force_login(district_admin)
    body = client.get(reverse("spreadsheets:job_list")).content.decode()
    assert "失败" in body and "校验中" not in body
    assert ImportJob.objects.get(pk=job.pk).status == ImportJobStatus.FAILED


def test_a_failed_job_offers_a_retry_while_its_upload_is_kept(
    client, district_admin, media_root, django_capture_on_commit_callbacks
):
    # given a dead worker's job whose upload is still stored
    stored = media_root / "imports" / "kept.xlsx"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(from_template([row()]))
    job = dead_job(district_admin, file="imports/kept.xlsx")
    client.force_login(district_admin)
    url = reverse("spreadsheets:job_detail", args=[job.pk])
    retry_url = reverse("spreadsheets:job_retry", args=[job.pk])
    assert retry_url in client.get(url).content.decode()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url, REMOTE_ADDR="10.0.0.5")
    # then a new job ran the same file
    retry = ImportJob.objects.exclude(pk=job.pk).get()
    assert response.url == reverse("spreadsheets:job_detail", args=[retry.pk])
    assert retry.status == ImportJobStatus.DONE and retry.created_count == 1
    # and the new job's upload is audited, naming the failed one, with the address
    upload = AuditEvent.objects.get(action=AuditAction.UPLOAD, object_id=str(retry.pk))
    assert (upload.actor, upload.address, upload.after["retry_of"]) == (
        district_admin,
        "10.0.0.5",
        job.pk,
    )
    assert upload.summary == f"重新导入失败任务 #{job.pk} 的上传文件"


def test_a_superusers_retry_stays_the_uploaders_job(
    client, district_admin, media_root, django_capture_on_commit_callbacks
):
    # given an uploader's failed job whose upload is kept
    stored = media_root / "imports" / "kept.xlsx"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(from_template([row()]))
    job = dead_job(district_admin, file="imports/kept.xlsx")
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(root)
    # when a superuser retries it
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("spreadsheets:job_retry", args=[job.pk]))
    # then it ran as the uploader's job, which the uploader sees; the retry is the superuser's
    retry = ImportJob.objects.exclude(pk=job.pk).get()
    assert (retry.created_by, retry.status) == (district_admin, ImportJobStatus.DONE)
    assert retry in ImportJob.objects.for_user(district_admin)
    upload = AuditEvent.objects.get(action=AuditAction.UPLOAD, object_id=str(retry.pk))
    assert upload.actor == root


def test_a_failed_job_without_its_upload_asks_for_a_new_one(client, district_admin):
    job = dead_job(district_admin, file="imports/gone.xlsx")
    client.force_login(district_admin)
    response = client.post(reverse("spreadsheets:job_retry", args=[job.pk]), follow=True)
    body = response.content.decode()
    assert "原上传文件已按规定删除，请重新上传文件" in body
    assert UPLOAD in body  # the button to upload again
    assert ImportJob.objects.count() == 1


def test_a_retry_is_for_the_jobs_owner_only(client, district_admin, school_clerk):
    job = dead_job(district_admin, file="imports/gone.xlsx")
    url = reverse("spreadsheets:job_retry", args=[job.pk])
    assert client.post(url).status_code == 302  # anonymous: to the login page
    assert "login" in client.post(url).url
    client.force_login(school_clerk)
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    assert ImportJob.objects.count() == 1


def test_a_read_only_user_cannot_retry_even_their_own_job(client, district_leader):
    job = dead_job(district_leader, file="imports/gone.xlsx")
    client.force_login(district_leader)
    response = client.post(reverse("spreadsheets:job_retry", args=[job.pk]), follow=True)
    assert "您没有导入数据的权限" in response.content.decode()
    assert ImportJob.objects.count() == 1
