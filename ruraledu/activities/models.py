"""Dated activities and programmes: lessons, observations, trips, training, studios, bases,
interns, nominations, courses and clubs, 学区 roles, links to rural schools, pilots."""

from django.conf import settings
from django.db import models

from ruraledu.core.querysets import ScopedQuerySet
from ruraledu.core.schoolyear import semester_of

from .choices import (
    BaseKind,
    DistrictRole,
    LessonKind,
    Level,
    ObservationRating,
    ObservationSource,
    PilotLevel,
    Programme,
    TrainingKind,
)


class AtSchoolQuerySet(ScopedQuerySet):
    scope_path_field = "school__org_unit__path"


class DatedAtSchool(models.Model):
    """Something that happened at a school on a day; year and semester derive from the day."""

    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("日期")
    year = models.PositiveSmallIntegerField("学年", editable=False, db_index=True)
    semester = models.PositiveSmallIntegerField("学期", editable=False)

    objects = AtSchoolQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.year, self.semester = semester_of(self.held_on)
        super().save(*args, **kwargs)


class LessonObservation(DatedAtSchool):
    """听课 by a 教研员 at a school."""

    observer = models.ForeignKey(
        "workforce.StaffPerson", verbose_name="教研员", on_delete=models.PROTECT, related_name="+"
    )
    # an Excel import or a researcher's phone: both count the same in every indicator
    source = models.CharField(
        "来源", max_length=10, choices=ObservationSource.choices, default=ObservationSource.IMPORT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    class_name = models.CharField("班级", max_length=30, blank=True, default="")
    subject = models.CharField("学科", max_length=20, blank=True, default="")
    teacher_name = models.CharField("授课教师", max_length=50, blank=True, default="")
    title = models.CharField("课题", max_length=100, blank=True, default="")
    rating = models.CharField(
        "评价", max_length=10, choices=ObservationRating.choices, blank=True, default=""
    )
    comments = models.TextField("评课意见", blank=True, default="")
    follow_up = models.CharField("跟进措施", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = "听课记录"
        verbose_name_plural = "听课记录"
        indexes = [models.Index(fields=["observer", "school", "year", "semester"])]
        constraints = [
            models.UniqueConstraint(
                fields=["observer", "school", "held_on"], name="observation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.observer} 听课 {self.school} {self.held_on}"


class PublicLesson(DatedAtSchool):
    """公开课, 示范课, 名师课堂 or 送教 given by a teacher at a school."""

    teacher = models.ForeignKey(
        "workforce.StaffPerson", verbose_name="授课教师", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=16, choices=LessonKind.choices)
    topic = models.CharField("课题", max_length=100, blank=True, default="")
    # the way the record first came in; a later import of the same lesson keeps it
    source = models.CharField(
        "来源", max_length=10, choices=ObservationSource.choices, default=ObservationSource.IMPORT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "公开课/示范课"
        verbose_name_plural = "公开课/示范课"
        indexes = [models.Index(fields=["teacher", "year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "school", "held_on", "kind"], name="lesson_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} {self.get_kind_display()} {self.school} {self.held_on}"


class CityTrip(DatedAtSchool):
    """进城研学 / 拓展视野 trip of a school, with its participating students."""

    title = models.CharField("活动名称", max_length=100)
    participants = models.ManyToManyField(
        "students.StudentPerson", verbose_name="参加学生", related_name="city_trips"
    )

    class Meta:
        verbose_name = "进城研学"
        verbose_name_plural = "进城研学"
        constraints = [
            models.UniqueConstraint(fields=["school", "held_on", "title"], name="trip_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.title} {self.held_on}"


class Training(models.Model):
    """Training of a principal or teacher."""

    person = models.ForeignKey(
        "workforce.StaffPerson",
        verbose_name="参训人",
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    kind = models.CharField("类型", max_length=16, choices=TrainingKind.choices)
    cycle = models.CharField("培训周期", max_length=20, help_text="如 2023-2025")
    held_on = models.DateField("日期")
    title = models.CharField("培训名称", max_length=100, blank=True, default="")

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        indexes = [models.Index(fields=["person", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "held_on", "kind", "level"], name="training_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_level_display()}{self.get_kind_display()} {self.held_on}"


class Studio(models.Model):
    """名师工作室."""

    name = models.CharField("名称", max_length=100, unique=True)
    host = models.ForeignKey(
        "workforce.StaffPerson",
        verbose_name="主持人",
        on_delete=models.PROTECT,
        related_name="studios",
    )
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    town = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="所在镇街",
        on_delete=models.PROTECT,
        related_name="studios",
    )
    school = models.ForeignKey(
        "orgunits.School",
        verbose_name="依托学校",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="studios",
    )
    founded_year = models.PositiveSmallIntegerField("设立年份")
    closed_year = models.PositiveSmallIntegerField("撤销年份", null=True, blank=True)

    class Meta:
        verbose_name = "名师工作室"
        verbose_name_plural = "名师工作室"

    def __str__(self) -> str:
        return self.name


class UniversityBase(models.Model):
    """A university or institute base (实习实训, 教科研) at a school."""

    school = models.ForeignKey(
        "orgunits.School",
        verbose_name="学校",
        on_delete=models.PROTECT,
        related_name="university_bases",
    )
    partner = models.CharField("合作高校/院所", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=BaseKind.choices)
    founded_year = models.PositiveSmallIntegerField("设立年份")
    ended_year = models.PositiveSmallIntegerField("结束年份", null=True, blank=True)

    objects = AtSchoolQuerySet.as_manager()

    class Meta:
        verbose_name = "高校科研院所基地"
        verbose_name_plural = "高校科研院所基地"
        constraints = [
            models.UniqueConstraint(fields=["school", "partner", "kind"], name="base_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.partner}"


class InternPlacement(models.Model):
    """A student teacher placed in a school (实习支教)."""

    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="interns"
    )
    year = models.PositiveSmallIntegerField("学年", db_index=True)
    name = models.CharField("实习生姓名", max_length=50)
    university = models.CharField("所在高校", max_length=100)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    objects = AtSchoolQuerySet.as_manager()

    class Meta:
        verbose_name = "实习支教"
        verbose_name_plural = "实习支教"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "name", "university"], name="intern_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.university}）→ {self.school}"


class Nomination(models.Model):
    """A nomination to a programme (乡村优秀青年教师, 名师/名校长 plans)."""

    person = models.ForeignKey(
        "workforce.StaffPerson",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    programme = models.CharField("计划", max_length=20, choices=Programme.choices)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年份")
    cycle = models.CharField("培养周期", max_length=20, blank=True, default="")

    class Meta:
        verbose_name = "推荐遴选"
        verbose_name_plural = "推荐遴选"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "level", "year"], name="nomination_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_programme_display()} {self.year}"


class FeatureCourse(models.Model):
    """特色课程 or 社团 of a school in a year; 精品 when selected for promotion."""

    school = models.ForeignKey(
        "orgunits.School",
        verbose_name="学校",
        on_delete=models.PROTECT,
        related_name="feature_courses",
    )
    year = models.PositiveSmallIntegerField("学年", db_index=True)
    name = models.CharField("名称", max_length=100)
    is_club = models.BooleanField("社团", default=False)
    promoted = models.BooleanField("遴选为特色精品课程", default=False)

    objects = AtSchoolQuerySet.as_manager()

    class Meta:
        verbose_name = "特色课程/社团"
        verbose_name_plural = "特色课程/社团"
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "name"], name="course_unique")
        ]

    def __str__(self) -> str:
        return self.name


class DistrictRoleAssignment(models.Model):
    """学区主任 or 教育指导员 of a 学区 in a year."""

    school_district = models.ForeignKey(
        "orgunits.SchoolDistrict",
        verbose_name="学区",
        on_delete=models.PROTECT,
        related_name="role_holders",
    )
    person = models.ForeignKey(
        "workforce.StaffPerson", verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("职务", max_length=10, choices=DistrictRole.choices)
    year = models.PositiveSmallIntegerField("学年", db_index=True)

    class Meta:
        verbose_name = "学区职务"
        verbose_name_plural = "学区职务"
        constraints = [
            models.UniqueConstraint(
                fields=["school_district", "person", "role", "year"], name="district_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_district} {self.get_role_display()} {self.person}"


class SchoolLink(models.Model):
    """A 教研员 or 骨干教师 linked to a (rural) school they serve in a year."""

    person = models.ForeignKey(
        "workforce.StaffPerson",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="school_links",
    )
    school = models.ForeignKey(
        "orgunits.School",
        verbose_name="联系学校",
        on_delete=models.PROTECT,
        related_name="linked_staff",
    )
    year = models.PositiveSmallIntegerField("学年", db_index=True)

    objects = AtSchoolQuerySet.as_manager()

    class Meta:
        verbose_name = "联系学校"
        verbose_name_plural = "联系学校"
        indexes = [models.Index(fields=["person", "year"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "school", "year"], name="school_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.school} {self.year}"


class TownPilot(models.Model):
    """A town in a 强镇筑基 pilot at some level."""

    town = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="镇", on_delete=models.PROTECT, related_name="pilots"
    )
    level = models.CharField("级别", max_length=10, choices=PilotLevel.choices)
    started_year = models.PositiveSmallIntegerField("开始年份")

    class Meta:
        verbose_name = "强镇筑基试点"
        verbose_name_plural = "强镇筑基试点"
        constraints = [models.UniqueConstraint(fields=["town", "level"], name="pilot_unique")]

    def __str__(self) -> str:
        return f"{self.town} {self.get_level_display()}强镇筑基试点"
