"""Students: a person (ID number or 学籍号 encrypted) and an enrolment per school year."""

from django.db import models
from django.db.models import Q

from ruraledu.core.models import PersonBase
from ruraledu.core.querysets import ScopedQuerySet
from ruraledu.core.rules import rules_error

from .choices import FamilyStatus, IdKind, Placement, TransferStatus, Transport
from .rules import enrolment_problems


class StudentPerson(PersonBase):
    id_kind = models.CharField(
        "证件类型", max_length=12, choices=IdKind.choices, default=IdKind.RESIDENT_ID
    )
    village = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="户籍/居住村居",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_students",
        limit_choices_to={"kind": "village"},
        db_index=False,  # partial index below
    )

    class Meta:
        verbose_name = "学生"
        verbose_name_plural = "学生"
        indexes = [
            models.Index(
                fields=["village"], condition=Q(village__isnull=False), name="person_village_set"
            )
        ]


class EnrolmentQuerySet(ScopedQuerySet):
    scope_path_field = "school__org_unit__path"


# a page edit's grade outside 1–12 (0 passes the stage rule, which reads only a grade given)
GRADE_RANGE = "年级须在 1 至 12 之间，请改正后再保存。"


class Enrolment(models.Model):
    """A student's enrolment in a school year, with the care flags the plan's targets read."""

    # Indexes are kept to what queries need: every one costs each row of a bulk import.
    person = models.ForeignKey(  # the (person, year) unique index serves it
        StudentPerson,
        verbose_name="学生",
        on_delete=models.PROTECT,
        related_name="enrolments",
        db_index=False,
    )
    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="enrolments"
    )
    campus = models.ForeignKey(
        "orgunits.School",
        verbose_name="校区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campus_enrolments",
        db_index=False,  # partial index below: most pupils attend the main campus
    )
    year = models.PositiveSmallIntegerField("学年")  # the (year, school) index serves it
    grade = models.PositiveSmallIntegerField("年级")
    class_name = models.CharField("班级", max_length=20, blank=True, default="")
    boarding = models.BooleanField("住校", default=False)
    distance_km = models.DecimalField(
        "家校距离（公里）", max_digits=5, decimal_places=1, null=True, blank=True
    )
    transport = models.CharField(
        "上下学交通", max_length=12, choices=Transport.choices, default=Transport.NONE
    )
    lunch_needed = models.BooleanField("有在校午餐需求", default=False)
    lunch_served = models.BooleanField("在校午餐已保障", default=False)
    left_behind = models.BooleanField("留守儿童", default=False)
    disability = models.BooleanField("残疾", default=False)
    placement = models.CharField(
        "安置方式", max_length=16, choices=Placement.choices, blank=True, default=""
    )
    orphan = models.BooleanField("孤儿", default=False)
    unattended = models.BooleanField("事实无人抚养", default=False)
    hardship = models.BooleanField("困境儿童", default=False)
    family_status = models.CharField(
        "脱贫/监测户", max_length=12, choices=FamilyStatus.choices, blank=True, default=""
    )
    struggling = models.BooleanField("学困生", default=False)
    aid_received = models.BooleanField("已获资助", default=False)
    # 优质均衡 G12 and G14; db defaults keep bulk writers (COPY) that omit them working
    nearby_admission = models.BooleanField("就近划片入学", default=False, db_default=False)
    migrant = models.BooleanField("随迁子女", default=False, db_default=False)
    mentor = models.ForeignKey(
        "workforce.StaffPerson",
        verbose_name="成长导师",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentees",
        db_index=False,  # partial index below
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = "学籍"
        verbose_name_plural = "学籍"
        ordering = ["-year", "school", "grade", "class_name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="enrolment_person_year_unique"),
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=12),
                name="enrolment_grade_range",
                violation_error_message=GRADE_RANGE,
            ),
        ]
        indexes = [
            models.Index(fields=["year", "school"]),
            models.Index(
                fields=["campus"], condition=Q(campus__isnull=False), name="enrolment_campus_set"
            ),
            models.Index(
                fields=["mentor"], condition=Q(mentor__isnull=False), name="enrolment_mentor_set"
            ),
            # the few children with a special-education placement (送教上门 above all) are
            # read without scanning the whole year's roster
            models.Index(
                fields=["year", "placement"], condition=~Q(placement=""), name="enrolment_placed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.year} {self.grade}年级"

    def clean(self):
        # the roster importer applies the same rules; a ModelForm shows these on its fields
        values = {f.name: getattr(self, f.name) for f in self._meta.concrete_fields}
        stage = self.school.stage if self.school_id else None
        if error := rules_error(enrolment_problems(values, stage)):
            raise error

    @property
    def is_priority(self) -> bool:
        """A priority category for aid (资助 应助尽助)."""
        return bool(
            self.orphan
            or self.unattended
            or self.hardship
            or self.disability
            or self.left_behind
            or self.family_status
        )


# two schools (or two clicks) asking for the same pupil at once: the second is told
OPEN_REQUEST = "该学生已有一份待确认的转学申请"


class TransferQuerySet(ScopedQuerySet):
    scope_path_fields = ("from_school__org_unit__path", "to_school__org_unit__path")


class Transfer(models.Model):
    """A pupil's move from one school to another within a school year: the receiving school
    asks, the sending school (or the bureau) confirms, and only then does the enrolment move."""

    person = models.ForeignKey(
        StudentPerson, verbose_name="学生", on_delete=models.PROTECT, related_name="transfers"
    )
    year = models.PositiveSmallIntegerField("学年")
    from_school = models.ForeignKey(
        "orgunits.School", verbose_name="转出学校", on_delete=models.PROTECT, related_name="+"
    )
    to_school = models.ForeignKey(
        "orgunits.School", verbose_name="转入学校", on_delete=models.PROTECT, related_name="+"
    )
    grade = models.PositiveSmallIntegerField("转入年级")
    class_name = models.CharField("转入班级", max_length=20, blank=True, default="")
    status = models.CharField(
        "状态", max_length=12, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    reason = models.CharField("不同意的理由", max_length=200, blank=True, default="")

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = "转学"
        verbose_name_plural = "转学"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                condition=Q(status="requested"),
                name="transfer_one_open_request",
                violation_error_message=OPEN_REQUEST,
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.year}学年转学"
