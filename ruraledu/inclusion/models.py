"""残疾儿童入学安置与送教上门: the placement decisions recorded where the registry has none,
the 送教上门 visits, and the visit frequency the bureau sets per school year.

A child is known by the blind index of the ID number (as on the 残联 list and the roster),
so a decision or a visit follows the child when the enrolment arrives later."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from ruraledu.core.querysets import ScopedQuerySet

from .choices import NEEDS_EVIDENCE, NEEDS_SCHOOL, DecisionKind

DEFAULT_TERM_MONTHS = "9,10,11,12,1,3,4,5,6"


def decision_file_path(instance, filename: str) -> str:
    """Stored name under MEDIA_ROOT (outside the web root); never the user's file name."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return timezone.now().strftime(f"inclusion/decisions/%Y/%m/{uuid.uuid4().hex}.{suffix}")


class DecisionQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


# two officers recording the same child's first decision at once: the second is told
DECISION_TAKEN = "该儿童本学年的安置决定已由他人登记，请刷新页面，核对后再修改。"


class PlacementDecision(models.Model):
    """A school year's placement of a child on the 残联 list who has no enrolment placing
    them: 随班就读 or 送教上门 by a named school, a special school, 暂缓入学 or 不适宜入学
    (reason and evidence), or schooling outside the district. One per child and year."""

    year = models.PositiveSmallIntegerField("学年")
    id_index = models.CharField("证件号索引", max_length=32, editable=False)
    entry = models.ForeignKey(
        "care.ListEntry",
        verbose_name="残联名单记录",
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("安置方式", max_length=16, choices=DecisionKind.choices)
    school = models.ForeignKey(
        "orgunits.School",
        verbose_name="就读或送教学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_note = models.CharField("学校或去向说明", max_length=200, blank=True, default="")
    reason = models.TextField("理由", blank=True, default="")
    evidence = models.CharField("依据材料编号", max_length=300, blank=True, default="")
    # the document itself (诊断证明, 专家委员会评估意见), checked like report evidence
    evidence_file = models.FileField(
        "依据材料文件", upload_to=decision_file_path, max_length=255, blank=True, default=""
    )
    evidence_name = models.CharField("依据材料文件名", max_length=255, blank=True, default="")
    evidence_type = models.CharField("依据材料文件类型", max_length=100, blank=True, default="")
    evidence_size = models.PositiveBigIntegerField("依据材料大小（字节）", default=0)
    evidence_sha256 = models.CharField("依据材料 SHA-256", max_length=64, blank=True, default="")
    decided_on = models.DateField("决定日期")
    town = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="镇街", on_delete=models.PROTECT, related_name="+"
    )
    # the school's unit, or the town when no school is named: what scoping reads
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    # raised on every change: a form carries the version it was read at, a stale one is refused
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "残疾儿童安置决定"
        verbose_name_plural = "残疾儿童安置决定"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "id_index"],
                name="placement_year_child",
                violation_error_message=DECISION_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}学年安置决定 #{self.pk}"

    def clean(self):
        errors = {}
        if self.kind in NEEDS_SCHOOL and not self.school_id:
            errors["school"] = f"{self.get_kind_display()}须选择就读或送教的学校。"
        if self.kind == DecisionKind.SPECIAL_SCHOOL and not (self.school_id or self.place_note):
            errors["school"] = "特教学校就读须选择学校，或在“学校或去向说明”中写明区外特教学校。"
        if self.kind == DecisionKind.ELSEWHERE and not self.place_note:
            errors["place_note"] = "区外就读须写明就读学校。"
        if self.kind in NEEDS_EVIDENCE:
            if not self.reason.strip():
                errors["reason"] = f"{self.get_kind_display()}须写明理由。"
            if not self.evidence_file:
                errors["evidence_file"] = (
                    f"{self.get_kind_display()}须上传依据材料（医院诊断证明或"
                    "残疾人教育专家委员会评估意见的扫描件）。"
                )
        if errors:
            raise ValidationError(errors)


class HomeVisitQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class HomeVisit(models.Model):
    """One 送教上门 visit: when, which teachers, what was taught, for how long."""

    year = models.PositiveSmallIntegerField("学年")
    id_index = models.CharField("证件号索引", max_length=32, editable=False)
    school = models.ForeignKey(
        "orgunits.School", verbose_name="送教学校", on_delete=models.PROTECT, related_name="+"
    )
    # the school's unit: what scoping reads
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("送教日期")
    teachers = models.CharField("送教教师", max_length=200)
    content = models.TextField("送教内容")
    hours = models.DecimalField(
        "时长（小时）",
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("8"))],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = HomeVisitQuerySet.as_manager()

    class Meta:
        verbose_name = "送教上门记录"
        verbose_name_plural = "送教上门记录"
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["year", "id_index"])]

    def __str__(self) -> str:
        return f"送教上门 {self.on}"


class VisitRule(models.Model):
    """The 送教上门 frequency the bureau sets for a school year: at least this many visits in
    each term month. A year without a row uses the defaults."""

    year = models.PositiveSmallIntegerField("学年", unique=True)
    visits_per_month = models.PositiveSmallIntegerField(
        "每月至少送教次数",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    term_months = models.CharField(
        "计入的教学月份",
        max_length=40,
        default=DEFAULT_TERM_MONTHS,
        help_text="用逗号分隔的月份，如 9,10,11,12,1,3,4,5,6（寒暑假所在月份不计）",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "送教上门频次"
        verbose_name_plural = "送教上门频次"

    def __str__(self) -> str:
        return f"{self.year}学年送教上门每月至少 {self.visits_per_month} 次"

    def months(self) -> tuple[int, ...]:
        return parse_months(self.term_months)

    def clean(self):
        try:
            parse_months(self.term_months)
        except ValueError as error:
            raise ValidationError({"term_months": str(error)}) from error


def parse_months(text: str) -> tuple[int, ...]:
    """ "9,10,1" -> (9, 10, 1); a month outside 1–12, a repeat or nothing at all is refused."""
    parts = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
    if not parts:
        raise ValueError("请至少填写一个月份。")
    months = []
    for part in parts:
        if not part.isdecimal() or not 1 <= int(part) <= 12:
            raise ValueError(f"“{part}”不是 1 到 12 之间的月份。")
        if int(part) in months:
            raise ValueError(f"月份 {part} 重复。")
        months.append(int(part))
    return tuple(months)
