"""Scenarios of the least-cost plan: inputs and results live here, apart from the registry;
solving one never writes official data."""

from django.conf import settings
from django.db import models

from .choices import ScenarioStatus


class Scenario(models.Model):
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
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "达标最低成本方案"

    def __str__(self) -> str:
        return self.name


class TravelScenario(models.Model):
    """A 走教 assignment for one 学区 (or town): inputs, locks and the solved assignment."""

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
