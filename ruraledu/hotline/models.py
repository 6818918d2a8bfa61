"""督学热线: calls and messages to the bureau's supervision office, assigned to a school, a town
office or a department, answered within a deadline in working days and closed by the bureau.

The caller's name and phone are stored encrypted (AES-GCM, the key of core.crypto) and shown
only to the bureau's 督导室; every other reader, export and drill-down goes without them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.accounts.scoping import scope_paths, user_departments
from ruraledu.core import crypto

from .choices import Channel, ComplaintEventKind, ComplaintStatus


class ComplaintQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.VIEW) -> "ComplaintQuerySet":
        """Complaints `user` may see: a role reaching the whole tree reaches all of them; a
        role on a town or school reaches those assigned in its subtree; a department's
        reporters reach those assigned to the department. Unassigned ones stay with the
        bureau."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if Reach(user, action).whole_tree:
            return self
        paths = scope_paths(user, action)
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(assigned_unit__path__startswith=path)
        if action in (Action.VIEW, Action.CHANGE):
            departments = [d.pk for d in user_departments(user)]
            if departments:
                condition |= Q(assigned_department__in=departments)
        return self.filter(condition)

    def overdue(self, today):
        return self.filter(status=ComplaintStatus.ASSIGNED, due_on__lt=today)


class Complaint(models.Model):
    """One call, letter, web message or visit to the 督学热线, from logging to closing."""

    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    received_on = models.DateField("受理日期")
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="涉及学校或单位",
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField("事项类别", max_length=50)
    question = models.TextField("反映内容")
    caller_name_cipher = models.BinaryField("来电人姓名（密文）", editable=False, null=True)
    caller_phone_cipher = models.BinaryField("联系电话（密文）", editable=False, null=True)
    status = models.CharField(
        "状态", max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    assigned_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="承办学校或镇街",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_department = models.ForeignKey(
        "orgunits.Department",
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限待定", default=False)
    answer = models.TextField("答复内容", blank=True, default="")
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField("办结日期", null=True, blank=True)
    close_note = models.TextField("办结意见", blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = "热线工单"
        verbose_name_plural = "热线工单"
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["received_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(assigned_unit__isnull=True) | Q(assigned_department__isnull=True),
                name="complaint_one_assignee",
            ),
        ]

    def __str__(self) -> str:
        return f"热线工单 #{self.pk}"

    @property
    def assignee(self):
        return self.assigned_unit or self.assigned_department

    def set_caller(self, name: str, phone: str) -> None:
        self.caller_name_cipher = crypto.encrypt(name.strip()) if name.strip() else None
        self.caller_phone_cipher = crypto.encrypt(phone.strip()) if phone.strip() else None

    def caller(self) -> tuple[str, str]:
        """Clear name and phone; callers check `sees_caller` and log the read."""
        name = crypto.decrypt(self.caller_name_cipher) if self.caller_name_cipher else ""
        phone = crypto.decrypt(self.caller_phone_cipher) if self.caller_phone_cipher else ""
        return name, phone

    def is_overdue(self, today) -> bool:
        return (
            self.status == ComplaintStatus.ASSIGNED
            and self.due_on is not None
            and (self.due_on < today)
        )

    @property
    def answered_in_time(self) -> bool | None:
        if self.answered_on is None or self.due_on is None:
            return None
        return self.answered_on <= self.due_on


class ComplaintEvent(models.Model):
    """One dated step of a complaint, written in the same transaction as the step."""

    complaint = models.ForeignKey(
        Complaint, verbose_name="热线工单", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=12, choices=ComplaintEventKind.choices)
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
    to_status = models.CharField("新状态", max_length=12, choices=ComplaintStatus.choices)
    note = models.TextField("说明", blank=True, default="")

    class Meta:
        verbose_name = "热线工单记录"
        verbose_name_plural = "热线工单记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
