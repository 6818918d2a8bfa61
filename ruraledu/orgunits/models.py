"""The org tree ([province >] [city >] district > town > school > campus; villages under towns)
and departments."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ruraledu.core.querysets import ScopedQuerySet

from . import rural
from .choices import (
    TOWN_LEVEL_KINDS,
    CampusType,
    OrgUnitKind,
    Ownership,
    SchoolStage,
    UrbanRuralCode,
)

# Which kinds may sit under which: the tree's shape in one place. A district is the root of a
# single-district install, or sits under a city (and a city under a province) when one
# instance serves many districts.
ALLOWED_PARENTS = {
    OrgUnitKind.PROVINCE: (None,),
    OrgUnitKind.CITY: (None, OrgUnitKind.PROVINCE),
    OrgUnitKind.DISTRICT: (None, OrgUnitKind.CITY),
    OrgUnitKind.TOWN: (OrgUnitKind.DISTRICT,),
    OrgUnitKind.SUBDISTRICT: (OrgUnitKind.DISTRICT,),
    OrgUnitKind.ZONE: (OrgUnitKind.DISTRICT,),
    OrgUnitKind.SCHOOL: TOWN_LEVEL_KINDS,
    OrgUnitKind.CAMPUS: (OrgUnitKind.SCHOOL,),
    OrgUnitKind.VILLAGE: TOWN_LEVEL_KINDS,
}


class OrgUnitQuerySet(ScopedQuerySet):
    scope_path_field = "path"

    def towns(self):
        return self.filter(kind__in=TOWN_LEVEL_KINDS)


class OrgUnit(models.Model):
    """A node of the org tree. `path` is the chain of codes from the root ("370302/370302101/")
    so that a subtree is one indexed prefix filter and bulk loads need no extra pass."""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", editable=False, default=0)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The path is derived state of (parent, code); keep it right on every save.
        self.path = f"{self.parent.path if self.parent_id else ''}{self.code}/"
        self.depth = self.path.count("/") - 1
        super().save(*args, **kwargs)

    def clean(self):
        parent_kind = self.parent.kind if self.parent_id else None
        allowed = ALLOWED_PARENTS.get(self.kind, ())
        if parent_kind not in allowed:
            raise ValidationError({"parent": f"“{self.get_kind_display()}”不能设在此上级之下。"})
        if "/" in self.code:
            raise ValidationError({"code": "代码不能包含“/”。"})

    @property
    def is_town_level(self) -> bool:
        return self.kind in TOWN_LEVEL_KINDS

    def ancestors(self):
        codes = self.path.rstrip("/").split("/")[:-1]
        return OrgUnit.objects.filter(code__in=codes).order_by("depth")

    def descendants(self):
        return OrgUnit.objects.filter(path__startswith=self.path).exclude(pk=self.pk)


class SchoolQuerySet(ScopedQuerySet):
    scope_path_field = "org_unit__path"

    def rural(self):
        return self.filter(rural.rural_q())

    def urban(self):
        return self.exclude(rural.rural_q())


class SchoolDistrict(models.Model):
    """学区: set up per town (PLAN project 6)."""

    town = models.ForeignKey(
        OrgUnit,
        verbose_name="所属镇街",
        on_delete=models.PROTECT,
        related_name="school_districts",
        limit_choices_to={"kind__in": TOWN_LEVEL_KINDS},
    )
    name = models.CharField("学区名称", max_length=100, unique=True)

    class Meta:
        verbose_name = "学区"
        verbose_name_plural = "学区"
        ordering = ["town__path", "name"]

    def __str__(self) -> str:
        return self.name


class EducationGroup(models.Model):
    """教育集团; 示范性 groups are counted per year (正文七)."""

    name = models.CharField("集团名称", max_length=100, unique=True)
    lead_school = models.ForeignKey(
        "School",
        verbose_name="牵头学校",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_groups",
    )
    founded_year = models.PositiveSmallIntegerField("成立年份", null=True, blank=True)
    model_year = models.PositiveSmallIntegerField("认定示范性集团年份", null=True, blank=True)

    class Meta:
        verbose_name = "教育集团"
        verbose_name_plural = "教育集团"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """Attributes of a school (legal entity) or campus; one row per org unit of those kinds."""

    org_unit = models.OneToOneField(
        OrgUnit,
        verbose_name="组织机构",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="school",
    )
    stage = models.CharField("办学类型", max_length=3, choices=SchoolStage.choices)
    ownership = models.CharField("办学性质", max_length=8, choices=Ownership.choices)
    is_inclusive = models.BooleanField(
        "普惠性", default=False, help_text="普惠性民办幼儿园勾选；公办园视为普惠"
    )
    urban_rural_code = models.CharField(
        "统计用城乡划分代码", max_length=3, choices=UrbanRuralCode.choices
    )
    is_town_seat = models.BooleanField("镇驻地学校", default=False)
    campus_type = models.CharField(
        "校区类型", max_length=16, choices=CampusType.choices, blank=True, default=""
    )
    school_district = models.ForeignKey(
        SchoolDistrict,
        verbose_name="学区",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schools",
    )
    education_group = models.ForeignKey(
        EducationGroup,
        verbose_name="教育集团",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, default="")

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = "学校"
        verbose_name_plural = "学校"
        ordering = ["org_unit__path"]

    def __str__(self) -> str:
        return self.org_unit.name

    def clean(self):
        kind = self.org_unit.kind if self.org_unit_id else None
        if kind not in (OrgUnitKind.SCHOOL, OrgUnitKind.CAMPUS):
            raise ValidationError("只有学校或校区可以登记办学信息。")
        if kind == OrgUnitKind.CAMPUS and not self.campus_type:
            raise ValidationError({"campus_type": "校区必须注明校区类型。"})

    @property
    def is_rural(self) -> bool:
        return rural.is_rural(self.urban_rural_code)

    @property
    def is_public_inclusive(self) -> bool:
        return self.ownership == Ownership.PUBLIC or self.is_inclusive


class Pairing(models.Model):
    """结对: an urban (or stronger) school paired with a rural school, for a period."""

    partner = models.ForeignKey(
        School, verbose_name="帮扶学校", on_delete=models.PROTECT, related_name="pairings_given"
    )
    school = models.ForeignKey(
        School, verbose_name="受援学校", on_delete=models.PROTECT, related_name="pairings_received"
    )
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "结对关系"
        verbose_name_plural = "结对关系"
        constraints = [
            models.CheckConstraint(
                condition=~Q(partner=models.F("school")), name="pairing_not_self"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pairing_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.school}"


class Department(models.Model):
    """A government department named by the plan (lead or partner). Not part of the org tree,
    but owned by the district (or city) whose plan names it when one instance serves many
    districts: Zichuan's 区人社局 and Zhangdian's are two departments. Without an owner it
    belongs to the install's only plan."""

    code = models.SlugField("代码", max_length=48, unique=True)
    name = models.CharField("简称", max_length=100)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
    )
    full_name = models.CharField("全称", max_length=200, blank=True, default="")
    aliases = models.JSONField("别名", default=list, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(org_unit__isnull=True), name="department_name_unique"
            ),
            models.UniqueConstraint(
                fields=["org_unit", "name"], name="department_name_unique_in_unit"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def plan_code(self) -> str:
        """The code its plan file gives it: on a many-district install the platform's code
        carries the owning unit's prefix (`A-civil-affairs`)."""
        owner = self.org_unit
        return self.code.removeprefix(f"{owner.code}-") if owner else self.code
