"""Care of left-behind and vulnerable children: each contact with a child or their guardian
(谈心, 家访, calls and video calls), and the activities of a school's 留守儿童关爱室. Mentors
are the enrolment's own `mentor` field (students app)."""

from django.conf import settings
from django.db import models

from ruraledu.core.querysets import ScopedQuerySet

from .choices import ContactKind


class CareContactQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class CareContact(models.Model):
    """One contact with a child on the care list: when, who made it, how, what was said and
    what follows. It lives at the school that made it."""

    person = models.ForeignKey(
        "students.StudentPerson",
        verbose_name="学生",
        on_delete=models.PROTECT,
        related_name="care_contacts",
    )
    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    # the school's org unit: what scoping reads
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("学年")
    on = models.DateField("联系日期")
    kind = models.CharField("方式", max_length=12, choices=ContactKind.choices)
    who = models.CharField("联系人", max_length=100)
    content = models.TextField("内容")
    follow_up = models.CharField("后续安排", max_length=300, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = CareContactQuerySet.as_manager()

    class Meta:
        verbose_name = "关爱联系记录"
        verbose_name_plural = "关爱联系记录"
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["person", "on"]), models.Index(fields=["unit", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class RoomActivityQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class RoomActivity(models.Model):
    """An activity held in a school's 留守儿童关爱室 (no child is named: a count only)."""

    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("学年")
    on = models.DateField("活动日期")
    title = models.CharField("活动内容", max_length=200)
    participants = models.PositiveSmallIntegerField("参加人数")
    led_by = models.CharField("组织人", max_length=100)
    note = models.CharField("备注", max_length=300, blank=True, default="")
    # checked and re-encoded without metadata as the supervision photos are; shown to care roles
    file = models.FileField("照片", upload_to="leftbehind/rooms/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = RoomActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "关爱室活动"
        verbose_name_plural = "关爱室活动"
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["unit", "on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participants__gte=1), name="room_activity_participants"
            )
        ]

    def __str__(self) -> str:
        return f"关爱室活动 {self.on} {self.title}"
