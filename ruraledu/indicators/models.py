"""Stored indicator values per (indicator, org unit, school year) and target status history."""

from django.db import models

from .choices import TargetStatus, ValueOrigin


class IndicatorValue(models.Model):
    code = models.CharField("指标代码", max_length=64)
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="单位", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("学年")
    value = models.FloatField("值", null=True)
    numerator = models.FloatField("分子", null=True)
    denominator = models.FloatField("分母", null=True)
    details = models.JSONField("明细", default=dict, blank=True)
    computed_at = models.DateTimeField("计算时间")
    # values received from another instance (DHIS2 dataValueSets) are never recomputed here
    origin = models.CharField(
        "来源", max_length=10, choices=ValueOrigin.choices, default=ValueOrigin.COMPUTED
    )

    class Meta:
        verbose_name = "指标值"
        verbose_name_plural = "指标值"
        constraints = [
            models.UniqueConstraint(fields=["code", "unit", "year"], name="indicator_value_unique")
        ]
        indexes = [
            models.Index(fields=["code", "year"]),
            models.Index(fields=["computed_at"]),
            # the few imported values, looked up again as a recompute stores (see `_store`)
            models.Index(
                fields=["year"],
                condition=models.Q(origin=ValueOrigin.IMPORTED),
                name="indicator_value_imported",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.unit_id} {self.year} = {self.value}"


class TargetState(models.Model):
    """The current status of a target, evaluated after every recompute."""

    target = models.OneToOneField("plans.Target", on_delete=models.CASCADE, related_name="state")
    status = models.CharField("状态", max_length=16, choices=TargetStatus.choices)
    value = models.FloatField("最新值", null=True)
    value_year = models.PositiveSmallIntegerField("最新值学年", null=True)
    projected = models.FloatField("到期预测值", null=True)
    note = models.CharField("说明", max_length=300, blank=True, default="")
    evaluated_at = models.DateTimeField("评估时间")

    class Meta:
        verbose_name = "目标状态"
        verbose_name_plural = "目标状态"

    def __str__(self) -> str:
        return f"{self.target_id} {self.get_status_display()}"


class TargetStatusChange(models.Model):
    """Every change of a target's status, so that "what slipped since last month" is a query."""

    target = models.ForeignKey(
        "plans.Target", on_delete=models.CASCADE, related_name="status_changes"
    )
    previous = models.CharField("原状态", max_length=16, choices=TargetStatus.choices, blank=True)
    status = models.CharField("新状态", max_length=16, choices=TargetStatus.choices)
    value = models.FloatField("值", null=True)
    changed_at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "目标状态变化"
        verbose_name_plural = "目标状态变化"
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.target_id} {self.previous}→{self.status}"


STANDARD_STAGES = [
    ("", "通用"),
    ("primary", "小学"),
    ("junior", "初中"),
    ("kindergarten", "幼儿园"),
]


# one value per standard and place: what a user is told whose first value lost to another's
STANDARD_TAKEN = "这项标准值刚由他人设定，本次修改未保存。请刷新页面查看后再修改。"


class Standard(models.Model):
    """A figure from a provincial or national standard that the bureau maintains (not in code)."""

    code = models.CharField("代码", max_length=64)
    stage = models.CharField(
        "适用学段",
        max_length=16,
        blank=True,
        default="",
        choices=STANDARD_STAGES,
        help_text="primary / junior / kindergarten，留空为通用",
    )
    value = models.FloatField("标准值")
    name = models.CharField("名称", max_length=100)
    source = models.CharField("依据", max_length=200)
    year = models.PositiveSmallIntegerField("标准年份", null=True, blank=True)
    provisional = models.BooleanField("待核定", default=False)
    # a district's (or city's) own value for its units; empty: the install's value for every unit
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="适用单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "标准值"
        verbose_name_plural = "标准值"
        constraints = [
            models.UniqueConstraint(
                fields=["code", "stage"],
                condition=models.Q(unit__isnull=True),
                name="standard_unique",
                violation_error_message=STANDARD_TAKEN,
            ),
            models.UniqueConstraint(
                fields=["code", "stage", "unit"],
                condition=models.Q(unit__isnull=False),
                name="standard_unit_unique",
                violation_error_message=STANDARD_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_stage_display()}）= {self.value}{'（待核定）' if self.provisional else ''}"


class RecomputeJob(models.Model):
    """A recompute asked for by a person or by an import; progress for the page that polls it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "计算中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField("原因", max_length=100, default="手动")
    years = models.JSONField("学年", default=list, blank=True)
    # only what changed since the last recompute (see ChangeMark), not every value
    incremental = models.BooleanField("只算变动", default=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("结果", max_length=300, blank=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "指标计算任务"
        verbose_name_plural = "指标计算任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reason} {self.get_status_display()} {self.progress}%"


class ChangeMark(models.Model):
    """Registry data written since the last recompute: a table, and where known the school
    year and the org unit (any org-unit column of the changed record). Blank year: every
    year; blank unit: every unit. Written by `changes.py` only; consumed by the recompute."""

    table = models.CharField("数据表", max_length=100)
    year = models.PositiveSmallIntegerField("学年", null=True)
    unit_id = models.IntegerField("单位", null=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "数据变动"
        verbose_name_plural = "数据变动"

    def __str__(self) -> str:
        return f"{self.table} {self.year} {self.unit_id}"


class ScanCache(models.Model):
    """One source's grouped scan of a year, as the last recompute read it: rows of
    [unit, records, measure 0, measure 1 …] in the order `layout` names the measures.
    An incremental recompute re-reads only the changed units and patches these rows."""

    source = models.CharField("数据源", max_length=64)
    year = models.PositiveSmallIntegerField("学年")
    layout = models.JSONField("度量", default=list)
    rows = models.JSONField("分组结果", default=list)
    # of layout and rows: a full recompute rewrites only the scans whose rows changed
    digest = models.CharField("摘要", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "分组扫描缓存"
        verbose_name_plural = "分组扫描缓存"
        constraints = [models.UniqueConstraint(fields=["source", "year"], name="scan_cache_unique")]

    def __str__(self) -> str:
        return f"{self.source} {self.year}"


class IndicatorReads(models.Model):
    """The tables an indicator with its own computation read last time it was computed."""

    code = models.CharField("指标代码", max_length=64, unique=True)
    tables = models.JSONField("数据表", default=list)

    class Meta:
        verbose_name = "指标读取的数据表"
        verbose_name_plural = "指标读取的数据表"

    def __str__(self) -> str:
        return self.code
