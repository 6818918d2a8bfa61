import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from ruraledu.indicators.models import RecomputeJob
from ruraledu.orgunits.models import Department
from ruraledu.orgunits.tests.factories import DepartmentFactory
from ruraledu.spreadsheets.base import CellError
from ruraledu.spreadsheets.choices import ImportJobStatus
from ruraledu.spreadsheets.models import ImportJob
from ruraledu.spreadsheets.safety import UploadRefused
from ruraledu.spreadsheets.services import (
    ImportRejected,
    import_job_create,
    import_job_run,
    import_run,
)

from .importer import SPEC, DepartmentImporter
from .xlsx import from_template, row, workbook

SHEET = SPEC.title
KIND = SPEC.kind


def run(data, user, **kwargs):
    return import_run(kind=KIND, data=data, filename="部门.xlsx", year=2025, user=user, **kwargs)


def snapshot():
    return sorted(Department.objects.values_list("code", "name", "full_name", "sort_order"))


@pytest.fixture
def existing(db):
    return DepartmentFactory(code="health", name="区卫生健康局", full_name="旧全称", sort_order=1)


def test_it_creates_and_updates_by_natural_key(district_admin, existing):
    data = from_template([row(), row(code="finance", name="区财政局", full_name=None)])
    result = run(data, district_admin)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert snapshot() == [
        ("finance", "区财政局", "", 3),
        ("health", "区卫生健康局", "淄川区卫生健康局", 3),
    ]


def test_importing_the_same_file_again_changes_nothing(district_admin):
    data = from_template([row(), row(code="finance", name="区财政局")])
    run(data, district_admin)
    before = snapshot()
    result = run(data, district_admin)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert snapshot() == before


def test_one_bad_row_means_nothing_is_written(district_admin, existing):
    # given two good rows (one would update "health") and one bad row
    before = snapshot()
    data = from_template(
        [
            row(full_name="新全称"),
            row(code="finance", name="区财政局"),
            row(code="x", sort_order="三"),
        ]
    )
    # when
    with pytest.raises(ImportRejected) as rejected:
        run(data, district_admin)
    # then
    assert rejected.value.errors == [CellError(SHEET, 5, "排序", "三", "应填写整数")]
    assert snapshot() == before


def test_cell_errors_and_importer_errors_come_back_together(district_admin):
    # given a bad cell in row 3 and a duplicate code in rows 4 and 5
    data = from_template(
        [
            row(code="a", name="甲局", active="也许"),
            row(code="b", name="乙局"),
            row(code="b", name="丙局"),
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        run(data, district_admin)
    assert rejected.value.errors == [
        CellError(SHEET, 3, "在用", "也许", "应填写“是”或“否”"),
        CellError(SHEET, 5, "部门代码", "b", "与第 4 行重复"),
    ]
    assert Department.objects.count() == 0


def test_a_write_that_fails_rolls_back_every_row(district_admin):
    # given a name longer than the model allows, which only full_clean() in write() catches
    data = from_template([row(code="a", name="甲局"), row(code="b", name="长" * 101)])
    with pytest.raises(ImportRejected) as rejected:
        run(data, district_admin)
    assert rejected.value.errors[0].message.startswith("写入时校验失败，已全部撤销：")
    assert Department.objects.count() == 0


def test_importer_errors_name_the_sheet_actually_read(district_admin, existing):
    data = workbook([row(code="other", name="区卫生健康局")], title="Sheet1")
    with pytest.raises(ImportRejected) as rejected:
        run(data, district_admin)
    assert rejected.value.errors == [
        CellError("Sheet1", 2, "部门简称", "区卫生健康局", "已被代码为“health”的部门使用")
    ]


def test_the_importer_checks_each_row_against_the_users_scope(school_clerk):
    with pytest.raises(ImportRejected) as rejected:
        run(from_template([row(), row(code="b", name="乙局")]), school_clerk)
    assert [(e.row, e.column, e.message) for e in rejected.value.errors] == [
        (3, "", "只有区级管理员可以导入部门名录"),
        (4, "", "只有区级管理员可以导入部门名录"),
    ]
    assert Department.objects.count() == 0


def test_a_read_only_user_cannot_import(district_leader):
    with pytest.raises(PermissionDenied):
        run(from_template([row()]), district_leader)
    assert Department.objects.count() == 0


def test_an_unsafe_file_is_refused_before_reading(district_admin):
    data = workbook([row(full_name="=1+1")])
    with pytest.raises(UploadRefused) as refused:
        run(data, district_admin)
    assert refused.value.message.startswith("工作表“部门名录”C2 单元格含有公式")


def test_progress_is_reported_by_stage(district_admin):
    seen = []
    run(from_template([row()]), district_admin, progress=lambda p, stage: seen.append((p, stage)))
    assert seen == [(5, "校验中"), (15, "校验中"), (40, "校验中"), (60, "导入中")]


def create_job(data, user):
    return import_job_create(kind=KIND, data=data, filename="部门名录.xlsx", year=2025, user=user)


def test_a_job_stores_the_upload_and_runs_after_commit(
    district_admin, media_root, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = create_job(from_template([row()]), district_admin)
        assert ImportJob.objects.get(pk=job.pk).status == ImportJobStatus.QUEUED
    # then the task ran (immediate backend) once the job was committed, and the import
    # queued a recompute of the indicators for the year
    assert len(callbacks) == 2
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert (job.progress, job.total_rows, job.created_count) == (100, 1, 1)
    assert job.finished_at is not None
    assert Department.objects.get(code="health").name == "区卫生健康局"
    assert RecomputeJob.objects.get().reason.startswith("导入")
    # and the upload (ID numbers in clear) is gone once the job is over
    assert not job.file
    assert not list((Path(media_root) / "imports").rglob("upload*"))


def test_a_rejected_job_keeps_every_error_and_a_marked_copy(
    district_admin, django_capture_on_commit_callbacks
):
    data = from_template([row(sort_order="三"), row(code="b", head_id=110105194912310020)])
    with django_capture_on_commit_callbacks(execute=True):
        job = create_job(data, district_admin)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.REJECTED
    assert job.error_count == 2
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "排序"), (4, "负责人身份证号")]
    assert job.errors[0] == {
        "sheet": SHEET, "row": 3, "column": "排序", "value": "三", "message": "应填写整数",
    }  # fmt: skip
    assert job.message == "共发现 2 处错误。请改正后重新上传整个文件。"
    with job.error_copy.open("rb") as marked:
        book = load_workbook(io.BytesIO(marked.read()))
    assert book[SHEET]["D3"].comment.text == "排序：应填写整数"
    assert Department.objects.count() == 0


def test_a_refused_file_ends_the_job_with_the_reason(
    district_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = create_job(workbook([row(full_name="=1+1")]), district_admin)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.REJECTED
    assert job.message == "工作表“部门名录”C2 单元格含有公式，请复制后“粘贴为数值”再导入"
    assert not job.error_copy


def test_an_unexpected_failure_marks_the_job_failed(
    district_admin, monkeypatch, django_capture_on_commit_callbacks
):
    def explode(self, rows, *, year, user):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DepartmentImporter, "write", explode)
    with django_capture_on_commit_callbacks(execute=True):
        job = create_job(from_template([row()]), district_admin)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert job.message.startswith("导入过程中出现系统错误，未写入任何数据")


def test_a_finished_job_is_not_run_twice(district_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = create_job(from_template([row()]), district_admin)
    Department.objects.all().delete()
    import_job_run(job_id=job.pk)
    assert Department.objects.count() == 0


def test_a_read_only_user_cannot_create_a_job(district_leader):
    with pytest.raises(PermissionDenied):
        create_job(from_template([row()]), district_leader)
    assert ImportJob.objects.count() == 0


def test_marked_copies_are_purged_after_their_retention(
    district_admin, media_root, django_capture_on_commit_callbacks
):
    from django.core.management import call_command
    from django.utils import timezone

    data = from_template([row(sort_order="三")])
    with django_capture_on_commit_callbacks(execute=True):
        job = create_job(data, district_admin)
    job.refresh_from_db()
    assert job.error_copy
    ImportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timezone.timedelta(days=8)
    )
    call_command("purge_import_files", "--days", "7")
    job.refresh_from_db()
    assert not job.error_copy
    assert not list((Path(media_root) / "imports").rglob("*.xlsx"))
