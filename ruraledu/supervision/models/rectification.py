"""Rectification (整改): items raised from findings, the numbered 整改通知书 that sends them
to the school, the school's answers with evidence, and a log of every step."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from ruraledu.core.querysets import ScopedQuerySet

from ..choices import Escalation, ItemEventKind, ItemStatus


class NoticeCounter(models.Model):
    """The last number given per year: the one place notice numbers come from. Read under a
    row lock, only ever raised, so a number is never given twice nor reused."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    last = models.PositiveIntegerField("已用到的号", default=0)

    class Meta:
        verbose_name = "整改通知书编号"
        verbose_name_plural = "整改通知书编号"

    def __str__(self) -> str:
        return f"{self.year}：{self.last}"


class NoticeQuerySet(ScopedQuerySet):
    scope_path_field = "school__org_unit__path"


class RectificationNotice(models.Model):
    """A numbered 整改通知书 (e.g. 川教督整〔2026〕12号) sending one or more items to a school."""

    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    visit = models.ForeignKey(
        "supervision.Visit",
        verbose_name="督导记录",
        on_delete=models.PROTECT,
        related_name="notices",
    )
    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveIntegerField("序号")
    label = models.CharField("文号", max_length=60, unique=True)
    issued_on = models.DateField("下发日期")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+"
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "整改通知书"
        verbose_name_plural = "整改通知书"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="notice_number_unique")
        ]

    def __str__(self) -> str:
        return self.label


class ItemQuerySet(ScopedQuerySet):
    scope_path_field = "school__org_unit__path"

    def open(self):
        return self.exclude(status=ItemStatus.CLOSED)


class RectificationItem(models.Model):
    """What must be put right, under which rule, by when, and who at the school answers."""

    finding = models.OneToOneField(
        "supervision.Finding",
        verbose_name="督导发现的问题",
        on_delete=models.PROTECT,
        related_name="item",
    )
    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    area = models.CharField("领域", max_length=50)
    description = models.TextField("整改事项")
    rule = models.CharField("依据", max_length=300, blank=True, default="")
    deadline = models.DateField("整改期限")
    responsible = models.CharField("学校责任人", max_length=50)
    status = models.CharField(
        "状态", max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    notice = models.ForeignKey(
        RectificationNotice,
        verbose_name="整改通知书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    escalation = models.PositiveSmallIntegerField(
        "升级", choices=Escalation.choices, default=Escalation.NONE
    )
    escalated_on = models.DateField("升级日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    # days from the notice to closing, kept at closing for the average-days indicator
    days_to_close = models.PositiveIntegerField("销号用时（天）", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return f"整改事项 #{self.pk}"

    @property
    def is_locked(self) -> bool:
        return self.status == ItemStatus.CLOSED


class ItemAnswer(models.Model):
    """The school's account of what it did; a returned item gets a new answer, the old stays."""

    item = models.ForeignKey(
        RectificationItem, verbose_name="整改事项", on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField("整改情况")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="反馈人", on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("反馈时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改反馈"
        verbose_name_plural = "整改反馈"
        ordering = ["answered_at", "pk"]

    def __str__(self) -> str:
        return f"整改反馈 #{self.pk}"


def answer_evidence_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return timezone.now().strftime(f"supervision/answers/%Y/%m/{uuid.uuid4().hex}.{suffix}")


class AnswerEvidence(models.Model):
    """A file proving the rectification (checked like report evidence)."""

    answer = models.ForeignKey(
        ItemAnswer, verbose_name="整改反馈", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField("文件", upload_to=answer_evidence_path, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"

    def __str__(self) -> str:
        return self.original_name


class ItemEvent(models.Model):
    """One dated step of an item, written in the same transaction as the step; never edited."""

    item = models.ForeignKey(
        RectificationItem, verbose_name="整改事项", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=12, choices=ItemEventKind.choices)
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField("原状态", max_length=12, blank=True, default="")
    to_status = models.CharField("新状态", max_length=12, choices=ItemStatus.choices)
    note = models.TextField("说明", blank=True, default="")

    class Meta:
        verbose_name = "整改事项记录"
        verbose_name_plural = "整改事项记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
