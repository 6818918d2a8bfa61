"""精准资助: the eligibility rules as data (categories, kinds of aid with their amounts and
the categories that qualify), the aid actually granted (imported from the 资助 system's
export) and the publicity lists (公示名单) schools post."""

from django.conf import settings
from django.db import models

from ruraledu.core.querysets import ScopedQuerySet

from .choices import AidFlag, AidStage, Semester


class AidCategory(models.Model):
    """A category of children the plan names for priority aid, resting on one registry flag."""

    flag = models.CharField("对应学籍标记", max_length=20, choices=AidFlag.choices, unique=True)
    name = models.CharField("类别名称", max_length=50)
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "资助对象类别"
        verbose_name_plural = "资助对象类别"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class AidKind(models.Model):
    """A kind of aid (学前教育资助, 生活补助 …): the categories that qualify for it and, per
    stage, the amount of a term. Seeded from the plan with typical amounts; the district's
    资助中心 confirms or changes them."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("资助项目", max_length=60, unique=True)
    categories = models.ManyToManyField(
        AidCategory, verbose_name="可享受的类别", related_name="kinds", blank=True
    )
    is_active = models.BooleanField("启用", default=True)
    confirmed = models.BooleanField(
        "资助中心已核定", default=False, help_text="未核定的为按方案预置的默认值，可修改"
    )
    note = models.CharField("说明", max_length=200, blank=True, default="")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "资助项目"
        verbose_name_plural = "资助项目"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class AidAmount(models.Model):
    """The amount of one kind of aid per pupil and term at one stage; a kind without an
    amount for a stage is not granted at that stage."""

    kind = models.ForeignKey(
        AidKind, verbose_name="资助项目", on_delete=models.CASCADE, related_name="amounts"
    )
    stage = models.CharField("学段", max_length=12, choices=AidStage.choices)
    per_term = models.DecimalField("每生每学期（元）", max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = "资助标准"
        verbose_name_plural = "资助标准"
        constraints = [
            models.UniqueConstraint(fields=["kind", "stage"], name="aid_amount_kind_stage"),
            models.CheckConstraint(condition=models.Q(per_term__gt=0), name="aid_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.get_stage_display()} {self.per_term}元"


class AidGrantQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class AidGrant(models.Model):
    """Aid one school paid one child for one term, as the 资助 system exported it. Natural
    key: child, kind, year, term, school; the same child paid the same aid in the same term
    by two schools is a duplicate the gap list shows."""

    person = models.ForeignKey(
        "students.StudentPerson",
        verbose_name="学生",
        on_delete=models.PROTECT,
        related_name="aid_grants",
    )
    school = models.ForeignKey(
        "orgunits.School", verbose_name="发放学校", on_delete=models.PROTECT, related_name="+"
    )
    # the school's org unit: what scoping reads
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("学年")
    semester = models.PositiveSmallIntegerField("学期", choices=Semester.choices)
    kind = models.ForeignKey(
        AidKind, verbose_name="资助项目", on_delete=models.PROTECT, related_name="grants"
    )
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)

    objects = AidGrantQuerySet.as_manager()

    class Meta:
        verbose_name = "资助发放记录"
        verbose_name_plural = "资助发放记录"
        ordering = ["year", "semester", "unit__path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "year", "semester", "school"],
                name="aid_grant_natural_key",
            )
        ]
        indexes = [models.Index(fields=["year", "semester", "unit"])]

    def __str__(self) -> str:
        return f"{self.year}学年第{self.semester}学期 {self.kind}"


class AidPublicityQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class AidPublicity(models.Model):
    """A school's 公示名单 for a term, reachable without login through a random token until
    `ends_on`. The rows are fixed when published and hold only what may be posted: the
    masked name, grade, kind of aid and amount (never an ID number or a reason)."""

    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("学年")
    semester = models.PositiveSmallIntegerField("学期", choices=Semester.choices)
    token = models.CharField("链接令牌", max_length=64, unique=True, editable=False)
    starts_on = models.DateField("公示开始日期")
    ends_on = models.DateField("公示截止日期")
    # taken back before its start: it was never public, and its dates stay as published
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    rows = models.JSONField("公示内容", default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    objects = AidPublicityQuerySet.as_manager()

    class Meta:
        verbose_name = "资助公示名单"
        verbose_name_plural = "资助公示名单"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="aid_publicity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year}学年第{self.semester}学期资助公示"
