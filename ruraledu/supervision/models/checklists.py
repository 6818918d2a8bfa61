"""Kinds of visit and their checklists, edited by the bureau on a page. A checklist is
versioned: once published it never changes (a visit records against the version it used);
a revision is a new draft version of the same kind."""

from django.conf import settings
from django.db import models

from ..choices import ChecklistStatus


class VisitKind(models.Model):
    """经常性督导, 专项督导, 随机/暗访, 开学/期末检查 …"""

    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)
    visits_per_month = models.PositiveSmallIntegerField(
        "每校每月应到次数", default=0, help_text="0 表示不作要求"
    )

    class Meta:
        verbose_name = "督导类型"
        verbose_name_plural = "督导类型"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Checklist(models.Model):
    """One version of a kind's checklist; published versions are frozen."""

    kind = models.ForeignKey(
        VisitKind, verbose_name="督导类型", on_delete=models.PROTECT, related_name="checklists"
    )
    version = models.PositiveSmallIntegerField("版本")
    title = models.CharField("名称", max_length=100)
    status = models.CharField(
        "状态", max_length=12, choices=ChecklistStatus.choices, default=ChecklistStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="编制人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("编制时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "督导检查表"
        verbose_name_plural = "督导检查表"
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="checklist_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.version} 版）"

    @property
    def is_frozen(self) -> bool:
        return self.status != ChecklistStatus.DRAFT


class ChecklistItem(models.Model):
    """One line of a checklist, grouped by area (领域)."""

    checklist = models.ForeignKey(
        Checklist, verbose_name="检查表", on_delete=models.CASCADE, related_name="items"
    )
    area = models.CharField("领域", max_length=50)
    text = models.CharField("检查内容", max_length=300)
    order = models.PositiveSmallIntegerField("序号")

    class Meta:
        verbose_name = "检查条目"
        verbose_name_plural = "检查条目"
        ordering = ["checklist", "order"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "order"], name="checklist_item_order")
        ]

    def __str__(self) -> str:
        return f"{self.area}：{self.text}"
