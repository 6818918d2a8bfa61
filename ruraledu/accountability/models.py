"""问责: a step (提醒, 约谈, 通报) the bureau takes against a department whose progress report,
or a school whose rectification item, is overdue past the bureau's limits. A step is a record
of what was done, with its document; it is never edited."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.accounts.scoping import scope_paths, user_departments

from .choices import StepKind


class StepQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.VIEW) -> "StepQuerySet":
        """Steps `user` may see: a role reaching the whole tree sees all; a town or school role the
        steps against schools in its subtree; a department's reporters their department's."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if Reach(user, action).whole_tree:
            return self
        paths = scope_paths(user, action)
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(school__path__startswith=path)
        departments = [d.pk for d in user_departments(user)]
        if departments:
            condition |= Q(department__in=departments)
        return self.filter(condition)


def document_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return timezone.now().strftime(f"accountability/%Y/%m/{uuid.uuid4().hex}.{suffix}")


class AccountabilityStep(models.Model):
    """One 提醒, 约谈 or 通报, against a department (for an overdue report) or a school (for
    an overdue rectification item), linked to the overdue thing."""

    kind = models.CharField("问责方式", max_length=10, choices=StepKind.choices)
    department = models.ForeignKey(
        "orgunits.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    school = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.ForeignKey(
        "reporting.ReportingPeriod",
        verbose_name="逾期的报告期",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "supervision.RectificationItem",
        verbose_name="逾期的整改事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    overdue_what = models.CharField("逾期事项", max_length=300)
    deadline = models.DateField("原截止日期")
    working_days_late = models.PositiveSmallIntegerField("逾期工作日")
    taken_on = models.DateField("问责日期")
    reason = models.TextField("问责事由")
    document = models.FileField(
        "文件", upload_to=document_path, max_length=255, blank=True, default=""
    )
    document_name = models.CharField("文件名", max_length=255, blank=True, default="")
    document_type = models.CharField("文件类型", max_length=100, blank=True, default="")
    document_size = models.PositiveBigIntegerField("大小（字节）", default=0)
    document_sha256 = models.CharField("SHA-256", max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        verbose_name = "问责记录"
        verbose_name_plural = "问责记录"
        ordering = ["-taken_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(department__isnull=False, period__isnull=False)
                    & Q(school__isnull=True, item__isnull=True)
                )
                | (
                    Q(school__isnull=False, item__isnull=False)
                    & Q(department__isnull=True, period__isnull=True)
                ),
                name="accountability_step_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"

    @property
    def subject(self):
        return self.department or self.school
