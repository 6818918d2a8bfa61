"""Staff: a person (ID number encrypted) and a post per school and school year."""

from django.db import models

from ruraledu.core.models import PersonBase
from ruraledu.core.querysets import ScopedQuerySet

from .choices import BackboneLevel, Degree, Honour, Position, Subject, Title


class StaffPerson(PersonBase):
    class Meta:
        verbose_name = "教职工"
        verbose_name_plural = "教职工"


class PostQuerySet(ScopedQuerySet):
    scope_path_field = "school__org_unit__path"


class Post(models.Model):
    """A person's post at a school (or campus) in a school year; a person may hold two."""

    person = models.ForeignKey(
        StaffPerson, verbose_name="教职工", on_delete=models.PROTECT, related_name="posts"
    )
    school = models.ForeignKey(
        "orgunits.School", verbose_name="任职学校", on_delete=models.PROTECT, related_name="posts"
    )
    year = models.PositiveSmallIntegerField("学年", db_index=True)
    position = models.CharField(
        "岗位", max_length=20, choices=Position.choices, default=Position.TEACHER
    )
    is_establishment = models.BooleanField("在编", default=True)
    is_full_time_teacher = models.BooleanField("专任教师", default=True)
    subject = models.CharField(
        "任教学科", max_length=16, choices=Subject.choices, blank=True, default=""
    )
    degree = models.CharField("最高学历", max_length=1, choices=Degree.choices)
    title = models.CharField("职称", max_length=1, choices=Title.choices, default=Title.NONE)
    honour = models.CharField("称号", max_length=20, choices=Honour.choices, blank=True, default="")
    honour_level = models.CharField(
        "称号级别", max_length=10, choices=BackboneLevel.choices, blank=True, default=""
    )
    is_researcher = models.BooleanField("教研员", default=False)
    hired_year = models.PositiveSmallIntegerField("入职年份", null=True, blank=True)
    bound_appointment = models.BooleanField("城乡聘期捆绑", default=False)
    peripatetic = models.BooleanField("学区走教", default=False)
    needs_dormitory = models.BooleanField("需要周转宿舍", default=False)
    has_dormitory = models.BooleanField("已有周转宿舍", default=False)
    health_check = models.BooleanField("本年度已健康体检", default=False)
    town_allowance_eligible = models.BooleanField("符合乡镇工作补贴条件", default=False)
    town_allowance_received = models.BooleanField("已发放乡镇工作补贴", default=False)
    # 优质均衡 G08, G10, G11 and 普及普惠 Q3; db defaults keep bulk writers working
    has_certificate = models.BooleanField("持有教师资格证", default=False, db_default=False)
    training_hours_5y = models.PositiveIntegerField("近五年培训学时", default=0, db_default=0)
    rotated = models.BooleanField("本学年交流轮岗到岗", default=False, db_default=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["-year", "school", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school", "year"], name="post_person_school_year_unique"
            ),
        ]
        indexes = [models.Index(fields=["year", "school"]), models.Index(fields=["person", "year"])]

    def __str__(self) -> str:
        return f"{self.person} {self.school} {self.year}"
