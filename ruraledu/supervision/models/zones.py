"""督导责任区 (a set of schools), the 挂牌 inspector of each school by school year, and the
staff record a 教研员's account acts as (its 包校/定点联系 links are activities.SchoolLink)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from ruraledu.core.querysets import ScopedQuerySet


class Zone(models.Model):
    """A 督导责任区: usually a town or a 学区, as a set of schools."""

    name = models.CharField("名称", max_length=100, unique=True)
    town = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="所在镇街",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    schools = models.ManyToManyField(
        "orgunits.School", verbose_name="学校", related_name="supervision_zones", blank=True
    )
    note = models.CharField("说明", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "督导责任区"
        verbose_name_plural = "督导责任区"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AssignmentQuerySet(ScopedQuerySet):
    scope_path_field = "school__org_unit__path"

    def current(self):
        return self.filter(ended_on__isnull=True)


# two assignments of a school's first inspector at once (two users, or a double click)
ONE_CURRENT = "这所学校本学年的挂牌责任督学刚由他人登记，请刷新页面，核对后再调整。"


class InspectorAssignment(models.Model):
    """The 挂牌 责任督学 of a school in a school year. Ending an assignment keeps the row: the
    history of who inspected which school in which year is never overwritten."""

    school = models.ForeignKey(
        "orgunits.School",
        verbose_name="学校",
        on_delete=models.PROTECT,
        related_name="inspector_assignments",
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任督学",
        on_delete=models.PROTECT,
        related_name="inspected_schools",
    )
    zone = models.ForeignKey(
        Zone, verbose_name="责任区", null=True, blank=True, on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField("学年", db_index=True)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    work_phone = models.CharField("工作电话", max_length=30, blank=True, default="")
    duties = models.CharField("督导职责", max_length=300, blank=True, default="")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "责任督学挂牌"
        verbose_name_plural = "责任督学挂牌"
        ordering = ["-year", "school_id"]
        constraints = [
            # a school has one 挂牌 inspector at a time
            models.UniqueConstraint(
                fields=["school", "year"],
                condition=Q(ended_on__isnull=True),
                name="inspector_assignment_one_current",
                violation_error_message=ONE_CURRENT,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.inspector}（{self.year}学年）"


class StaffAccount(models.Model):
    """The staff record (workforce.StaffPerson) an account acts as: a 教研员's 听课 land in
    activities.LessonObservation under this person, and their 包校 links are the person's
    activities.SchoolLink rows, the same ones the Excel import writes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="staff_account",
    )
    person = models.OneToOneField(
        "workforce.StaffPerson",
        verbose_name="教职工",
        on_delete=models.PROTECT,
        related_name="account",
    )

    class Meta:
        verbose_name = "账号对应的教职工"
        verbose_name_plural = "账号对应的教职工"

    def __str__(self) -> str:
        return f"{self.user} → {self.person}"


def inspector_photo_path(instance, filename: str) -> str:
    """Stored name under MEDIA_ROOT (outside the web root); never the user's file name."""
    return f"supervision/inspectors/{uuid.uuid4().hex}.jpg"


class InspectorPhoto(models.Model):
    """The inspector's photo on the 挂牌 card, re-encoded without metadata like visit photos."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="督学",
        on_delete=models.CASCADE,
        related_name="inspector_photo",
    )
    file = models.FileField("照片", upload_to=inspector_photo_path, max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    class Meta:
        verbose_name = "督学照片"
        verbose_name_plural = "督学照片"

    def __str__(self) -> str:
        return f"{self.user} 的照片"
