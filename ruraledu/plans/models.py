"""The plan as data: plan > section > project > task, targets, department responsibilities."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .choices import (
    YEAR_ON_YEAR,
    Comparator,
    MilestoneStatus,
    Recurrence,
    ResponsibilityRole,
    SectionKind,
    TargetKind,
    TargetScope,
)


class Plan(models.Model):
    """A plan of the district (or city) that issued it. Without an owning unit it is the plan
    of the install's root, as on a single-district install."""

    code = models.SlugField("代码", max_length=50)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text="制定方案的区县或市；为空时为本平台最高层级单位的方案",
    )
    title = models.CharField("名称", max_length=200)
    document_number = models.CharField("文号", max_length=100, blank=True, default="")
    issuer = models.CharField("印发单位", max_length=100, blank=True, default="")
    issued_on = models.DateField("印发日期", null=True, blank=True)
    start_year = models.PositiveSmallIntegerField("起始年份")
    end_year = models.PositiveSmallIntegerField("目标年份")
    preamble = models.TextField("前言", blank=True, default="")
    goal_text = models.TextField("工作目标", blank=True, default="")

    class Meta:
        verbose_name = "工作方案"
        verbose_name_plural = "工作方案"
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(org_unit__isnull=True), name="plan_code_unique"
            ),
            models.UniqueConstraint(fields=["org_unit", "code"], name="plan_code_unique_in_unit"),
        ]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """One of the numbered parts (一)…(十三): 10 actions and 3 guarantees."""

    plan = models.ForeignKey(
        Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="sections"
    )
    number = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("类别", max_length=16, choices=SectionKind.choices)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("正文")

    class Meta:
        verbose_name = "方案条目"
        verbose_name_plural = "方案条目"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="section_number_unique")
        ]

    def __str__(self) -> str:
        return f"（{chinese_number(self.number)}）{self.title}"

    @property
    def label(self) -> str:
        return f"（{chinese_number(self.number)}）"


class Project(models.Model):
    """A key project of the appendix (重点项目清单)."""

    plan = models.ForeignKey(
        Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="projects"
    )
    section = models.ForeignKey(
        Section, verbose_name="条目", on_delete=models.PROTECT, related_name="projects"
    )
    number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("项目名称", max_length=200)
    tasks_text = models.TextField("主要任务")
    goals_text = models.TextField("工作目标")

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="project_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Task(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="重点项目", on_delete=models.CASCADE, related_name="tasks"
    )
    number = models.PositiveSmallIntegerField("序号")
    text = models.TextField("任务")

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="task_number_unique")
        ]

    def __str__(self) -> str:
        return self.text[:40]


class Responsibility(models.Model):
    """A department leading or taking part in a section or a project."""

    department = models.ForeignKey(
        "orgunits.Department",
        verbose_name="部门",
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    role = models.CharField("职责", max_length=8, choices=ResponsibilityRole.choices)
    section = models.ForeignKey(
        Section,
        verbose_name="条目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    project = models.ForeignKey(
        Project,
        verbose_name="重点项目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "部门职责"
        verbose_name_plural = "部门职责"
        ordering = ["role", "sort_order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(section__isnull=True) ^ Q(project__isnull=True),
                name="responsibility_on_section_xor_project",
            ),
            models.UniqueConstraint(
                fields=["department", "section", "project"], name="responsibility_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.get_role_display()}"


class Target(models.Model):
    """A dated goal: measured by an indicator, or a milestone accepted on review."""

    plan = models.ForeignKey(
        Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="targets"
    )
    project = models.ForeignKey(
        Project,
        verbose_name="重点项目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    section = models.ForeignKey(
        Section,
        verbose_name="条目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    code = models.CharField("代码", max_length=32)
    text = models.TextField("目标")
    kind = models.CharField("类别", max_length=16, choices=TargetKind.choices)
    due_date = models.DateField("完成时限")
    recurrence = models.CharField(
        "周期", max_length=16, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    scope = models.CharField("范围", max_length=32, choices=TargetScope.choices, blank=True)
    comparator = models.CharField("比较", max_length=16, choices=Comparator.choices, blank=True)
    threshold = models.DecimalField("阈值", max_digits=12, decimal_places=4, null=True, blank=True)
    threshold_max = models.DecimalField(
        "阈值上限", max_digits=12, decimal_places=4, null=True, blank=True
    )
    unit = models.CharField("单位", max_length=16, blank=True, default="")
    indicator_code = models.CharField("指标代码", max_length=64, blank=True, default="")
    measurement = models.TextField("口径", blank=True, default="")
    milestone_status = models.CharField(
        "节点进展", max_length=16, choices=MilestoneStatus.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        ordering = ["plan", "due_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_code_unique"),
            models.CheckConstraint(
                condition=~Q(kind=TargetKind.MEASURED) | ~Q(indicator_code=""),
                name="measured_target_has_indicator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:30]}"

    def clean(self):
        if self.kind == TargetKind.MEASURED:
            if not self.indicator_code or not self.comparator:
                raise ValidationError("计量指标必须指定指标代码和比较方式。")
            if self.comparator not in YEAR_ON_YEAR and self.threshold is None:
                raise ValidationError({"threshold": "计量指标必须设置阈值。"})
        if self.comparator == Comparator.BETWEEN and self.threshold_max is None:
            raise ValidationError({"threshold_max": "区间目标必须设置上限。"})

    @property
    def threshold_label(self) -> str:
        if self.kind == TargetKind.MILESTONE or not self.comparator:
            return "—"
        if self.comparator in YEAR_ON_YEAR:
            return self.get_comparator_display()
        value = _plain(self.threshold)
        if self.comparator == Comparator.BETWEEN:
            return f"{value}–{_plain(self.threshold_max)}{self.unit}"
        return f"{self.get_comparator_display()} {value}{self.unit}"


def _plain(value) -> str:
    return "" if value is None else f"{value.normalize():f}"


CHINESE_DIGITS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1..99 as Chinese numerals, as the plan numbers its parts: 十一, 二十一 ...; other numbers
    (no plan has them) in Arabic digits rather than an error on the page."""
    if not 0 <= n < 100:
        return str(n)
    if n <= 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_DIGITS[tens]
    return f"{head}十{CHINESE_DIGITS[ones] if ones else ''}"
