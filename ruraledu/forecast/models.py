"""Births by village (imported input), each district's staffing rules, and forecast runs.

A run is derived data, not official data: it is recomputed from one district's rosters and
births and never changes the registry."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from ruraledu.core.querysets import ScopedQuerySet


class BirthRecordQuerySet(ScopedQuerySet):
    scope_path_field = "village__path"


class BirthRecord(models.Model):
    """Births registered in a village in a calendar year (the list the bureau obtains)."""

    village = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="村居",
        on_delete=models.PROTECT,
        related_name="birth_records",
        limit_choices_to={"kind": "village"},
    )
    birth_year = models.PositiveSmallIntegerField("出生年份")
    births = models.PositiveIntegerField("出生人数")

    objects = BirthRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "村居出生人口"
        verbose_name_plural = "村居出生人口"
        ordering = ["village__path", "birth_year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "birth_year"], name="birth_village_year")
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.birth_year}年出生"


class StaffingRule(models.Model):
    """The staffing standards a district's bureau applies (one row per district; defaults are
    the national ratios). Small rural schools and teaching points get at least classes × 班师比
    posts."""

    # each district sets its own standard (a city's districts do not share one)
    unit = models.OneToOneField(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="区县"
    )

    primary_pupils_per_post = models.DecimalField(
        "小学生师比（学生数:1）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("19"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    junior_pupils_per_post = models.DecimalField(
        "初中生师比（学生数:1）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("13.5"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    primary_posts_per_class = models.DecimalField(
        "小规模学校小学班师比（每班教师数）",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.7"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    junior_posts_per_class = models.DecimalField(
        "小规模学校初中班师比（每班教师数）",
        max_digits=4,
        decimal_places=2,
        default=Decimal("2.5"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    small_school_pupils = models.PositiveIntegerField(
        "小规模学校人数线", default=100, validators=[MinValueValidator(1)]
    )
    teaching_point_pupils = models.PositiveIntegerField(
        "小规模教学点人数线", default=50, validators=[MinValueValidator(1)]
    )
    primary_class_size = models.PositiveSmallIntegerField(
        "小学标准班额", default=45, validators=[MinValueValidator(10)]
    )
    junior_class_size = models.PositiveSmallIntegerField(
        "初中标准班额", default=50, validators=[MinValueValidator(10)]
    )
    # weekly lessons per subject and grade (empty: the national curriculum's, see subjects.py)
    lesson_hours = models.JSONField("各学科周课时（按年级）", default=dict, blank=True)
    primary_weekly_lessons = models.PositiveSmallIntegerField(
        "小学教师标准周课时量", default=14, validators=[MinValueValidator(1)]
    )
    junior_weekly_lessons = models.PositiveSmallIntegerField(
        "初中教师标准周课时量", default=12, validators=[MinValueValidator(1)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "编制核定标准"
        verbose_name_plural = "编制核定标准"

    def __str__(self) -> str:
        return f"{self.unit.name}编制核定标准" if self.unit_id else "编制核定标准"


class ForecastRun(models.Model):
    """One computation of the forecast of one district's schools from the rosters of
    `base_year` and earlier; the page asks for it and a background task fills it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "计算中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    # the district whose schools and villages the run covers
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="区县"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DONE)
    message = models.CharField("失败原因", max_length=300, blank=True, default="")
    base_year = models.PositiveSmallIntegerField("基准学年")
    horizon = models.PositiveSmallIntegerField("预测年数", default=5)
    created_at = models.DateTimeField("测算时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="测算人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    seconds = models.FloatField("用时（秒）", default=0)
    # district figures of the backtest: model and naive mean absolute percentage errors
    backtest_year = models.PositiveSmallIntegerField("回测学年", null=True, blank=True)
    backtest_mape = models.FloatField("回测平均误差（模型）", null=True, blank=True)
    naive_mape = models.FloatField("回测平均误差（照搬上年）", null=True, blank=True)
    notes = models.TextField("说明", blank=True, default="")

    class Meta:
        verbose_name = "生源预测"
        verbose_name_plural = "生源预测"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.base_year}学年起生源预测"

    @staticmethod
    def _percent(value: float | None) -> str:
        return "—" if value is None else f"{value:.1%}"

    @property
    def model_error(self) -> str:
        return self._percent(self.backtest_mape)

    @property
    def naive_error(self) -> str:
        return self._percent(self.naive_mape)


class ForecastCellQuerySet(ScopedQuerySet):
    scope_path_field = "school__org_unit__path"


class ForecastCell(models.Model):
    """Pupils expected in one school and grade in one future year, with a 90 % interval."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="cells")
    school = models.ForeignKey("orgunits.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("学年")
    grade = models.PositiveSmallIntegerField("年级")
    expected = models.FloatField("预测人数")
    low = models.FloatField("下限")
    high = models.FloatField("上限")

    objects = ForecastCellQuerySet.as_manager()

    class Meta:
        verbose_name = "预测值"
        verbose_name_plural = "预测值"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "school", "year", "grade"], name="forecast_cell_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.year} {self.grade}年级"


class BacktestRowQuerySet(ScopedQuerySet):
    scope_path_field = "school__org_unit__path"


class BacktestRow(models.Model):
    """A past year forecast from the years before it, against what happened and the naive
    forecast (the same as the year before)."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="backtests")
    school = models.ForeignKey("orgunits.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("回测学年")
    actual = models.PositiveIntegerField("实际人数")
    forecast = models.FloatField("模型预测")
    naive = models.PositiveIntegerField("照搬上年")

    objects = BacktestRowQuerySet.as_manager()

    class Meta:
        verbose_name = "回测"
        verbose_name_plural = "回测"
        constraints = [
            models.UniqueConstraint(fields=["run", "school"], name="forecast_backtest_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.year}学年回测"

    @property
    def error(self) -> float:
        return self.forecast - self.actual

    @property
    def naive_error(self) -> int:
        return self.naive - self.actual
