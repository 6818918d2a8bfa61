from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .choices import DEPARTMENT_ROLES, SCHOOL_ONLY_ROLES, Role


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True, default="")
    phone = models.CharField("手机号", max_length=20, blank=True, default="")
    # set on accounts made by setup commands: the gate sends them to the password page first
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """A role held on an org unit (reaching its subtree) or on a department."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="组织机构",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    department = models.ForeignKey(
        "orgunits.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            models.CheckConstraint(
                condition=(Q(org_unit__isnull=False) & Q(department__isnull=True))
                | (Q(org_unit__isnull=True) & Q(department__isnull=False)),
                name="role_on_unit_or_department",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "org_unit", "department"], name="role_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org_unit or self.department}"

    def clean(self):
        if self.role in DEPARTMENT_ROLES:
            if not self.department_id or self.org_unit_id:
                raise ValidationError("部门填报员必须分配在部门上。")
        elif not self.org_unit_id or self.department_id:
            raise ValidationError("该角色必须分配在组织机构上。")
        elif self.role in SCHOOL_ONLY_ROLES and self.org_unit.kind != "school":
            raise ValidationError("学校控辍保学/资助专干只能分配在一所学校上。")
