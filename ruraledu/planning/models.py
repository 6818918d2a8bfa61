"""Scenarios of the least-cost plan: inputs and results live here, apart from the registry;
solving one never writes official data."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from . import audit_text
from .choices import ScenarioStatus


class Scenario(models.Model):
    # how the audit trail reads the inputs it keeps (see audit.models.AuditEvent.changes)
    audit_summaries = {"inputs": audit_text.scenario_inputs}

    # 优质均衡 is judged per district: a scenario plans one district's schools
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="区县"
    )
    name = models.CharField("方案名称", max_length=100)
    year = models.PositiveIntegerField("学年")
    inputs = models.JSONField("输入", default=dict)
    status = models.CharField(
        "状态", max_length=10, choices=ScenarioStatus.choices, default=ScenarioStatus.DRAFT
    )
    result = models.JSONField("结果", null=True, blank=True)
    gap = models.FloatField("求解间隙", null=True, blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # when the latest solve was asked for: one queued or running far longer than a solve
    # takes was lost (a worker stopped) and may be asked for again
    queued_at = models.DateTimeField("求解请求时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "达标最低成本方案"

    def __str__(self) -> str:
        return self.name


class TravelScenario(models.Model):
    """A 走教 assignment for one 学区 (or town): inputs, locks and the solved assignment."""

    audit_labels = {"locks": "锁定的走教安排"}  # how the audit trail names a key of `inputs`
    # how it reads the JSON it keeps (see audit.models.AuditEvent.changes)
    audit_summaries = {
        "inputs": audit_text.travel_inputs,
        "result": audit_text.travel_result,
        "locks": audit_text.travel_locks,
    }

    name = models.CharField("方案名称", max_length=100)
    year = models.PositiveIntegerField("学年")
    area = models.CharField("片区", max_length=20)
    area_name = models.CharField("片区名称", max_length=100)
    inputs = models.JSONField("输入", default=dict)
    result = models.JSONField("结果", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "走教方案"

    def __str__(self) -> str:
        return self.name


class RotationDecision(models.Model):
    """The bureau's decision on one teacher's 交流轮岗 for a year, from one school; the registry is
    not changed. Keyed by the school the teacher leaves: a teacher posted in two districts has
    each district's decision, and neither bureau writes the other's. Within a district one per
    teacher and year (`rotation_decide` refuses a second post's, under the teacher's row lock;
    the key cannot say "district", which is the school's ancestor)."""

    class Decision(models.TextChoices):
        ROTATE = "rotate", "同意轮岗"
        DEFER = "defer", "暂缓"
        DECLINE = "decline", "不轮岗"

    year = models.PositiveIntegerField("学年")
    person = models.ForeignKey(
        "workforce.StaffPerson", on_delete=models.PROTECT, related_name="+", verbose_name="教师"
    )
    from_school = models.ForeignKey(
        "orgunits.School", on_delete=models.PROTECT, related_name="+", verbose_name="现任职学校"
    )
    to_school = models.ForeignKey(
        "orgunits.School",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="轮岗至",
    )
    decision = models.CharField("决定", max_length=10, choices=Decision.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="决定人"
    )
    decided_at = models.DateTimeField("决定时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "交流轮岗决定"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "person", "from_school"], name="rotation_year_person_school_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.year}"


class SchoolLocation(models.Model):
    """A school's coordinates as a map gives them, kept by the bureau: 走教 distances between
    schools come from them where no distance is typed in."""

    school = models.OneToOneField(
        "orgunits.School",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="学校",
    )
    latitude = models.DecimalField(
        "纬度",
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("3")), MaxValueValidator(Decimal("54"))],
    )
    longitude = models.DecimalField(
        "经度",
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("73")), MaxValueValidator(Decimal("136"))],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="修改人"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "学校坐标"

    def __str__(self) -> str:
        return f"{self.school} 坐标"
