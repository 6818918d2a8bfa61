"""Reporting periods with deadlines in working days, progress reports and their review,
evidence files, the holiday table and in-app notifications."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.functional import cached_property

from ruraledu.plans.choices import MilestoneStatus

from .choices import (
    EDITABLE_STATUSES,
    CalendarDayKind,
    CalendarDaySource,
    EmailStatus,
    Frequency,
    NotificationKind,
    ReportEventKind,
    ReportStatus,
)
from .querysets import ProgressReportQuerySet


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday rule: a public holiday, or a weekend day worked
    in exchange (调休). The table, not the package it was seeded from, is the source of truth."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=8, choices=CalendarDayKind.choices)
    name = models.CharField("节日", max_length=50, blank=True, default="")
    source = models.CharField(
        "来源", max_length=8, choices=CalendarDaySource.choices, default=CalendarDaySource.MANUAL
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class ReportingSchedule(models.Model):
    """How often a project is reported on, by whom, and how many working days after the end of
    a period the report is due. Set by the bureau."""

    project = models.OneToOneField(
        "plans.Project",
        verbose_name="重点项目",
        on_delete=models.CASCADE,
        related_name="reporting_schedule",
    )
    frequency = models.CharField(
        "报告周期", max_length=16, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    deadline_working_days = models.PositiveSmallIntegerField(
        "截止期限（期末后第几个工作日）",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    departments = models.ManyToManyField(
        "orgunits.Department",
        verbose_name="填报部门",
        blank=True,
        related_name="reporting_schedules",
    )
    org_units = models.ManyToManyField(
        "orgunits.OrgUnit",
        verbose_name="填报学校或镇街",
        blank=True,
        related_name="reporting_schedules",
    )
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "报告安排"
        verbose_name_plural = "报告安排"
        ordering = ["project__number"]

    def __str__(self) -> str:
        return f"{self.project}（{self.get_frequency_display()}）"

    def clean(self):
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "结束日期不能早于起始日期。"})


class ReportingPeriod(models.Model):
    """One period of a project's schedule (a month, quarter, half year or year) and its
    deadline. `deadline_provisional` is set when a year that the deadline counts through has
    no holiday data: weekends were counted, holidays could not be."""

    project = models.ForeignKey(
        "plans.Project",
        verbose_name="重点项目",
        on_delete=models.CASCADE,
        related_name="reporting_periods",
    )
    frequency = models.CharField("报告周期", max_length=16, choices=Frequency.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    deadline = models.DateField("截止日期")
    deadline_provisional = models.BooleanField("截止日期待定", default=False)

    class Meta:
        verbose_name = "报告期"
        verbose_name_plural = "报告期"
        ordering = ["project__number", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "starts_on", "ends_on"], name="reporting_period_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="reporting_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.name} {self.label}"

    @property
    def label(self) -> str:
        year = self.starts_on.year
        match self.frequency:
            case Frequency.MONTHLY:
                return f"{year}年{self.starts_on.month}月"
            case Frequency.QUARTERLY:
                return f"{year}年第{(self.starts_on.month - 1) // 3 + 1}季度"
            case Frequency.HALF_YEARLY:
                return f"{year}年{'上' if self.starts_on.month <= 6 else '下'}半年"
            case Frequency.YEARLY:
                return f"{year}年度"
        return f"{self.starts_on:%Y-%m-%d}至{self.ends_on:%Y-%m-%d}"


class ProgressReport(models.Model):
    """A progress report on one project for one period, by one department or one school (or
    town). Reviewed by the bureau: draft → submitted → returned → resubmitted → approved.
    `version` grows with every write so that a stale form or a second reviewer is refused."""

    # how the audit trail names a removed evidence file's id (services.evidence_remove)
    audit_labels = {"evidence_id": "佐证材料编号"}

    period = models.ForeignKey(
        ReportingPeriod, verbose_name="报告期", on_delete=models.PROTECT, related_name="reports"
    )
    department = models.ForeignKey(
        "orgunits.Department",
        verbose_name="填报部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="填报单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    status = models.CharField(
        "状态", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    work_done = models.TextField("本期工作完成情况", blank=True, default="")
    problems = models.TextField("存在的问题", blank=True, default="")
    next_steps = models.TextField("下步工作打算", blank=True, default="")
    return_reason = models.TextField("退回原因", blank=True, default="")
    review_comment = models.TextField("审核意见", blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["-period__starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=True) ^ Q(org_unit__isnull=True),
                name="progress_report_by_department_xor_unit",
            ),
            models.UniqueConstraint(
                fields=["period", "department"],
                condition=Q(department__isnull=False),
                name="progress_report_unique_department",
            ),
            models.UniqueConstraint(
                fields=["period", "org_unit"],
                condition=Q(org_unit__isnull=False),
                name="progress_report_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reporter_name} · {self.period.project.name} · {self.period.label}"

    @property
    def reporter(self):
        return self.department or self.org_unit

    @property
    def reporter_name(self) -> str:
        return str(self.reporter)

    @property
    def project(self):
        return self.period.project

    @cached_property
    def first_submitted_at(self):
        """When it was first handed in (lists read it in their query: `with_first_submission`)."""
        return self.events.filter(kind=ReportEventKind.SUBMITTED).aggregate(at=Min("at"))["at"]

    @property
    def handed_in_late(self) -> bool:
        """First handed in after its period's deadline. A 重新提交 after the reviewer returned
        it does not make it late: the unit reported on time."""
        first = self.first_submitted_at
        return first is not None and timezone.localdate(first) > self.period.deadline

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED


class ReportTargetLine(models.Model):
    """A report's line on one target of the project: progress of a milestone (with evidence),
    or the reporter's figure for a measured target (the indicator's value is shown beside it)."""

    report = models.ForeignKey(
        ProgressReport, verbose_name="报告", on_delete=models.CASCADE, related_name="lines"
    )
    target = models.ForeignKey(
        "plans.Target", verbose_name="目标", on_delete=models.PROTECT, related_name="report_lines"
    )
    progress = models.CharField(
        "节点进展", max_length=16, choices=MilestoneStatus.choices, blank=True, default=""
    )
    value = models.DecimalField("填报数值", max_digits=14, decimal_places=4, null=True, blank=True)
    note = models.TextField("说明", blank=True, default="")
    done_confirmed = models.BooleanField("审核确认已完成", default=False)

    class Meta:
        verbose_name = "报告目标进展"
        verbose_name_plural = "报告目标进展"
        ordering = ["target__due_date", "target__code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="report_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.target.code} {self.get_progress_display() or self.value or ''}"


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    """Stored name under MEDIA_ROOT (outside the web root); never the user's file name."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return timezone.now().strftime(f"evidence/%Y/%m/{uuid.uuid4().hex}.{suffix}")


class EvidenceFile(models.Model):
    """A supporting document (PDF, Word, Excel or image), checked by content before storing
    and served only through a view that checks the report's scope."""

    report = models.ForeignKey(
        ProgressReport, verbose_name="报告", on_delete=models.CASCADE, related_name="evidence"
    )
    target = models.ForeignKey(
        "plans.Target",
        verbose_name="对应目标",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_files",
    )
    file = models.FileField("文件", upload_to=evidence_path, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def size_label(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        return f"{max(self.size / 1024, 0.1):.1f} KB"


class ReportEvent(models.Model):
    """One step of a report's workflow, written in the same transaction as the step."""

    report = models.ForeignKey(
        ProgressReport, verbose_name="报告", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事件", max_length=20, choices=ReportEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    from_status = models.CharField(
        "原状态", max_length=16, choices=ReportStatus.choices, blank=True, default=""
    )
    to_status = models.CharField(
        "新状态", max_length=16, choices=ReportStatus.choices, blank=True, default=""
    )
    message = models.TextField("说明", blank=True, default="")

    class Meta:
        verbose_name = "报告流转记录"
        verbose_name_plural = "报告流转记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_kind_display()}"


class ReportUrge(models.Model):
    """A reminder (催办) sent by the bureau to the reporters of an overdue report: the report
    is named by its period and unit, since a unit that never started it has no report row.
    At most one per report and calendar day, which the unique constraints enforce even for
    two clicks at the same moment."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name="报告期", on_delete=models.PROTECT, related_name="urges"
    )
    department = models.ForeignKey(
        "orgunits.Department",
        verbose_name="填报部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="填报单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="报告",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="urges",
    )
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="催办人", on_delete=models.PROTECT, related_name="+"
    )
    urged_at = models.DateTimeField("催办时间", default=timezone.now)
    urged_on = models.DateField("催办日期")
    recipients = models.PositiveIntegerField("通知人数", default=0)

    class Meta:
        verbose_name = "催办记录"
        verbose_name_plural = "催办记录"
        ordering = ["-urged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=True) ^ Q(org_unit__isnull=True),
                name="report_urge_department_xor_unit",
            ),
            models.UniqueConstraint(
                fields=["period", "department", "urged_on"],
                condition=Q(department__isnull=False),
                name="report_urge_once_a_day_department",
            ),
            models.UniqueConstraint(
                fields=["period", "org_unit", "urged_on"],
                condition=Q(org_unit__isnull=False),
                name="report_urge_once_a_day_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"催办 {self.department or self.org_unit} · {self.period} · {self.urged_on:%Y-%m-%d}"

    @property
    def unit_key(self) -> str:
        return f"d{self.department_id}" if self.department_id else f"u{self.org_unit_id}"


class Notification(models.Model):
    """An in-app message, copied by e-mail when the user has an address. `dedupe_key` makes
    a reminder idempotent: the same key is never created twice for a recipient."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=16, choices=NotificationKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True, default="")
    url = models.CharField("链接", max_length=300, blank=True, default="")
    dedupe_key = models.CharField("去重键", max_length=200)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    email_status = models.CharField(
        "邮件", max_length=8, choices=EmailStatus.choices, default=EmailStatus.NONE
    )
    emailed_at = models.DateTimeField("发送时间", null=True, blank=True)
    # when a run took the e-mail to send: one that died meanwhile leaves it to a later run
    email_claimed_at = models.DateTimeField("邮件认领时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_dedupe")
        ]
        indexes = [  # settling the notices of a step done (`reminders.settle`) finds them by link
            models.Index(
                fields=["url"], condition=Q(read_at__isnull=True), name="notification_unread_url"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.title}"
