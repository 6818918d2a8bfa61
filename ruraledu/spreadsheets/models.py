"""Import jobs: one uploaded file, its progress and its outcome."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .choices import EXPORT_WAITING, RUNNING_STATUSES, ExportJobStatus, ImportJobStatus


def import_file_path(instance: "ImportJob", filename: str) -> str:
    """Stored name under MEDIA_ROOT; never derived from the user's file name."""
    suffix = "-errors.xlsx" if filename.endswith("-errors.xlsx") else ".xlsx"
    return timezone.now().strftime(f"imports/%Y/%m/{uuid.uuid4().hex}{suffix}")


def export_file_path(instance: "ExportJob | None", filename: str) -> str:
    return timezone.now().strftime(f"exports/%Y/%m/{uuid.uuid4().hex}.xlsx")


def _own(queryset: models.QuerySet, user) -> models.QuerySet:
    """The jobs `user` (signed in, active) made."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    return queryset.filter(created_by=user)


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user) -> "ImportJobQuerySet":
        """A job belongs to whoever uploaded it; superusers see all."""
        return (
            self if user is not None and user.is_active and user.is_superuser else _own(self, user)
        )


class ExportJobQuerySet(models.QuerySet):
    def for_user(self, user) -> "ExportJobQuerySet":
        """An export is its requester's alone: the file holds what their scope let them see,
        so not even a superuser downloads another's."""
        return _own(self, user)


class ImportJob(models.Model):
    """One upload of an Excel file for one kind of record and school year. The file is kept
    under MEDIA_ROOT/imports/ and served only through a view that checks the owner."""

    kind = models.CharField("数据类型", max_length=32)
    year = models.PositiveSmallIntegerField("学年")
    filename = models.CharField("文件名", max_length=255)
    file = models.FileField("上传文件", upload_to=import_file_path, max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=16, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        "进度", default=0, validators=[MaxValueValidator(100)]
    )
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    errors = models.JSONField("错误清单", default=list, blank=True)
    error_copy = models.FileField(
        "标注错误的文件", upload_to=import_file_path, max_length=255, blank=True
    )
    message = models.TextField("说明", blank=True, default="")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # Set when a worker claims the job and at every step; a running job whose heartbeat is
    # older than IMPORT_JOB_STALE_SECONDS lost its worker (services.import_jobs_fail_stale).
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="importjob_user_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="importjob_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES


class ExportJob(models.Model):
    """A whole-scope export (a district's or a city's roster) made by the task worker: too long
    for a page request. The file is kept under MEDIA_ROOT/exports/ for a day, served only to
    its requester."""

    kind = models.CharField("数据类型", max_length=32)
    year = models.PositiveSmallIntegerField("学年")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导出人",
        on_delete=models.PROTECT,
        related_name="export_jobs",
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    # the requester's address, for the log of the children the file shows in clear
    address = models.GenericIPAddressField("申请地址", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ExportJobStatus.choices, default=ExportJobStatus.QUEUED
    )
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    row_count = models.PositiveIntegerField("数据行数", default=0)
    file = models.FileField("导出文件", upload_to=export_file_path, max_length=255, blank=True)
    # the requester's roles when the file was made (accounts.scoping.role_fingerprint)
    roles = models.CharField("导出时的角色", max_length=64, blank=True, default="")
    message = models.TextField("说明", blank=True, default="")

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="exportjob_user_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by"],
                condition=Q(status__in=["queued", "running"]),
                name="exportjob_one_waiting_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in EXPORT_WAITING
