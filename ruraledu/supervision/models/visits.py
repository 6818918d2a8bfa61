"""A 挂牌督导 visit: date, school, kind, who went, the checklist verdicts, findings, photos and
the principal's acknowledgement. A signed-off visit is locked."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from ruraledu.core.querysets import ScopedQuerySet

from ..choices import Verdict, VisitStatus


class VisitQuerySet(ScopedQuerySet):
    scope_path_field = "school__org_unit__path"


class Visit(models.Model):
    """One visit to a school by its inspector (and whoever went along)."""

    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(
        "supervision.VisitKind", verbose_name="督导类型", on_delete=models.PROTECT
    )
    checklist = models.ForeignKey(
        "supervision.Checklist", verbose_name="检查表", on_delete=models.PROTECT
    )
    visited_on = models.DateField("督导日期")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任督学",
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.CharField("参加人员", max_length=200, blank=True, default="")
    summary = models.TextField("总体情况", blank=True, default="")
    status = models.CharField(
        "状态", max_length=12, choices=VisitStatus.choices, default=VisitStatus.DRAFT
    )
    principal_name = models.CharField("校长（确认人）", max_length=50, blank=True, default="")
    acknowledged_at = models.DateTimeField("校长确认时间", null=True, blank=True)
    # a correction of a signed-off visit is a new visit pointing at the one it corrects
    corrects = models.ForeignKey(
        "self",
        verbose_name="更正的督导记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = "督导记录"
        verbose_name_plural = "督导记录"
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["school", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.school} {self.visited_on} {self.kind}"

    @property
    def is_locked(self) -> bool:
        return self.status == VisitStatus.SIGNED_OFF


class VisitVerdict(models.Model):
    """The verdict and note on one checklist item in one visit."""

    visit = models.ForeignKey(
        Visit, verbose_name="督导记录", on_delete=models.CASCADE, related_name="verdicts"
    )
    item = models.ForeignKey(
        "supervision.ChecklistItem", verbose_name="检查条目", on_delete=models.PROTECT
    )
    verdict = models.CharField("结论", max_length=10, choices=Verdict.choices)
    note = models.CharField("说明", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = "检查结论"
        verbose_name_plural = "检查结论"
        constraints = [
            models.UniqueConstraint(fields=["visit", "item"], name="visit_verdict_unique")
        ]

    def __str__(self) -> str:
        return self.get_verdict_display()


def photo_path(instance, filename: str) -> str:
    """Stored name under MEDIA_ROOT (outside the web root); never the user's file name."""
    return timezone.now().strftime(f"supervision/%Y/%m/{uuid.uuid4().hex}.jpg")


class VisitPhoto(models.Model):
    """A photo taken during the visit, re-encoded as JPEG without its metadata (GPS)."""

    visit = models.ForeignKey(
        Visit, verbose_name="督导记录", on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField("文件", upload_to=photo_path, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    caption = models.CharField("说明", max_length=200, blank=True, default="")
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    # set by the phone: a photo re-sent after the connection came back is stored once
    client_key = models.CharField("客户端标识", max_length=64, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "督导照片"
        verbose_name_plural = "督导照片"
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "client_key"],
                condition=~models.Q(client_key=""),
                name="visit_photo_client_key_unique",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class Finding(models.Model):
    """A problem found during a visit; it may become a rectification item."""

    visit = models.ForeignKey(
        Visit, verbose_name="督导记录", on_delete=models.CASCADE, related_name="findings"
    )
    area = models.CharField("领域", max_length=50)
    text = models.TextField("问题描述")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "督导发现的问题"
        verbose_name_plural = "督导发现的问题"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.area}：{self.text[:30]}"
