"""控辍保学 一人一案: a case per child who is out of school, its contacts, the town's numbered
限期返校通知书 and a dated log of every step."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ruraledu.core import crypto
from ruraledu.core.models import PersonBase
from ruraledu.core.querysets import ScopedQuerySet

from .choices import (
    ON_LISTS,
    OPEN_STATUSES,
    PRIORITY_LISTS,
    ROSTER_UNFLAGGED,
    TEXT_EVENT_KINDS,
    CaseCategory,
    CaseEscalation,
    CaseEventKind,
    CaseFileKind,
    CaseSource,
    CaseStatus,
    ClearReason,
    CloseReason,
    ContactKind,
    CrossCheckStatus,
    FindingKind,
    GrowthExitReason,
    GrowthFileStatus,
    GrowthProgress,
    ListKind,
)


class DropoutCaseQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"

    def open(self):
        return self.exclude(status=CaseStatus.CLOSED)


class DropoutCase(models.Model):
    """One child's 控辍保学 case. It lives at the school the child last attended (or, for a
    child never enrolled, at the town), fixed when the case is opened: the school and the
    town of that day stay the case's even when the child later moves."""

    person = models.ForeignKey(
        "students.StudentPerson",
        verbose_name="学生",
        on_delete=models.PROTECT,
        related_name="dropout_cases",
    )
    school = models.ForeignKey(
        "orgunits.School",
        verbose_name="学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dropout_cases",
    )
    town = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="镇街", on_delete=models.PROTECT, related_name="+"
    )
    # the school's org unit, or the town for a child with no school: what scoping reads
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("学年")
    grade = models.PositiveSmallIntegerField("年级", null=True, blank=True)
    category = models.CharField("类别", max_length=20, choices=CaseCategory.choices)
    source = models.CharField("来源", max_length=16, choices=CaseSource.choices)
    status = models.CharField(
        "状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.FOUND
    )
    opened_on = models.DateField("发现日期")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="建档人", on_delete=models.PROTECT, related_name="+"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="班主任（账号）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    teacher_name = models.CharField("班主任", max_length=50, blank=True, default="")
    village_cadre = models.CharField("包村干部", max_length=100, blank=True, default="")
    plan = models.TextField("劝返方案", blank=True, default="")
    plan_written_on = models.DateField("方案制定日期", null=True, blank=True)
    last_contact_on = models.DateField("最近联系日期", null=True, blank=True)
    deadline = models.DateField("办理时限", null=True, blank=True)
    deadline_provisional = models.BooleanField("时限暂定", default=False)
    outcome_on = models.DateField("结果日期", null=True, blank=True)
    certificate_number = models.CharField("诊断证明编号", max_length=50, blank=True, default="")
    certificate_issuer = models.CharField("出具医院", max_length=100, blank=True, default="")
    placement_note = models.CharField("安置去向", max_length=200, blank=True, default="")
    legal_procedure = models.TextField("行政或司法程序", blank=True, default="")
    close_reason = models.CharField(
        "结案原因", max_length=20, choices=CloseReason.choices, blank=True, default=""
    )
    close_note = models.CharField("结案说明", max_length=300, blank=True, default="")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(
        "督办层级", choices=CaseEscalation.choices, default=CaseEscalation.SCHOOL
    )
    escalated_on = models.DateField("升级日期", null=True, blank=True)
    # set when the retention period ran out and the personal fields were erased
    erased_on = models.DateField("个人信息清除日期", null=True, blank=True)
    # raised on every change: a form carries the version it was read at, a stale one is refused
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DropoutCaseQuerySet.as_manager()

    class Meta:
        verbose_name = "控辍保学个案"
        verbose_name_plural = "控辍保学个案"
        ordering = ["opened_on", "pk"]
        constraints = [
            # one open case per child: finding the child again links to it
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=OPEN_STATUSES),
                name="dropout_case_one_open_per_child",
            )
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"控辍保学个案 #{self.pk}"

    @property
    def responsible(self) -> str:
        """Who 指定责任人 names: a child never enrolled (a case the town holds) has no 班主任."""
        return "班主任和包村干部" if self.school_id is not None else "包村干部"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseContact(models.Model):
    """A home visit, call or persuasion talk: when, who went, what came of it, what next."""

    case = models.ForeignKey(
        DropoutCase, verbose_name="个案", on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField("方式", max_length=16, choices=ContactKind.choices)
    on = models.DateField("日期")
    who = models.CharField("参与人员", max_length=200)
    outcome = models.TextField("情况与结果")
    next_step = models.CharField("下一步", max_length=300, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "劝返联系记录"
        verbose_name_plural = "劝返联系记录"
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["case", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class ReturnNotice(models.Model):
    """The town's 限期返校通知书: numbered per town and year (〔2025〕3号)."""

    case = models.ForeignKey(
        DropoutCase, verbose_name="个案", on_delete=models.PROTECT, related_name="notices"
    )
    town = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="镇街", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveIntegerField("序号")
    issued_on = models.DateField("发出日期")
    return_by = models.DateField("限期返校日期")
    return_by_provisional = models.BooleanField("日期暂定", default=False)
    guardian = models.CharField("监护人", max_length=50)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "限期返校通知书"
        verbose_name_plural = "限期返校通知书"
        constraints = [
            models.UniqueConstraint(
                fields=["town", "year", "number"], name="return_notice_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"限期返校通知书 {self.label}"

    @property
    def label(self) -> str:
        """The notice's number as issued (昆仑镇教育办〔2025〕3号): the one form for the page,
        the receipt, the Word and PDF files and the case's log."""
        return f"{self.town.name}教育办〔{self.year}〕{self.number}号"


class CaseEvent(models.Model):
    """One dated step of a case, in the same transaction as the change; never edited."""

    case = models.ForeignKey(
        DropoutCase, verbose_name="个案", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=20, choices=CaseEventKind.choices)
    on = models.DateField("日期")
    at = models.DateTimeField("记录时间", auto_now_add=True)
    # empty for the daily job's steps (reminders, automatic escalation, erasure)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(
        "原状态", max_length=20, choices=CaseStatus.choices, blank=True, default=""
    )
    to_status = models.CharField("新状态", max_length=20, choices=CaseStatus.choices)
    note = models.TextField("说明", blank=True, default="")

    class Meta:
        verbose_name = "个案办理记录"
        verbose_name_plural = "个案办理记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"

    @property
    def holds_text(self) -> bool:
        """The note is staff's own words: shown only with the child's name."""
        return self.kind in TEXT_EVENT_KINDS


def case_file_path(instance, filename: str) -> str:
    """Stored name under MEDIA_ROOT (outside the web root); never the user's file name."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return timezone.now().strftime(f"care/cases/%Y/%m/{uuid.uuid4().hex}.{suffix}")


class CaseFile(models.Model):
    """A 因病休学 certificate or a closing evidence file of a case, checked by content like
    report evidence and served only to those who may see the case."""

    case = models.ForeignKey(
        DropoutCase, verbose_name="个案", on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField("材料类别", max_length=12, choices=CaseFileKind.choices)
    file = models.FileField("文件", upload_to=case_file_path, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "个案证明材料"
        verbose_name_plural = "个案证明材料"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class CareRetention(models.Model):
    """The bureau's retention period for closed cases (one row): after it, a case's personal
    fields are erased while the case itself, and so every count, stays."""

    years = models.PositiveSmallIntegerField("结案后保存年限")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设定人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("设定时间", auto_now=True)

    class Meta:
        verbose_name = "个案保存期限"
        verbose_name_plural = "个案保存期限"

    def __str__(self) -> str:
        return f"结案后保存 {self.years} 年"


class ListEntry(PersonBase):
    """A child on a partner department's list for a school year (户籍人口 from 公安, 残联's
    残疾儿童, the 脱贫/防返贫监测 households, 民政's 孤儿, 事实无人抚养 and 困境儿童). The ID
    number is kept like the roster's: ciphertext, blind index (matched against the roster's),
    hint. One entry per child, list and year; a re-import updates it."""

    # not unique here: the same child is on several lists and in several years
    id_index = models.CharField("证件号索引", max_length=32, editable=False)
    kind = models.CharField("名单", max_length=16, choices=ListKind.choices)
    year = models.PositiveSmallIntegerField("学年")
    village = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="户籍村居", on_delete=models.PROTECT, related_name="+"
    )
    town = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="镇街", on_delete=models.PROTECT, related_name="+"
    )
    # what the list says beyond the person: 残疾类别和等级, 脱贫户或监测户
    detail = models.CharField("类别说明", max_length=100, blank=True, default="")

    class Meta:
        verbose_name = "部门名单儿童"
        verbose_name_plural = "部门名单儿童"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "id_index"], name="list_entry_kind_year_child"
            )
        ]
        indexes = [models.Index(fields=["year", "kind"])]


class CrossCheckRun(models.Model):
    """One run of the cross-check for a school year, run by the task worker with progress."""

    year = models.PositiveSmallIntegerField("学年")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=10, choices=CrossCheckStatus.choices, default=CrossCheckStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("结果", max_length=300, blank=True, default="")
    counts = models.JSONField("各名单人数", default=dict, blank=True)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "四查三比对任务"
        verbose_name_plural = "四查三比对任务"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.year}学年比对 {self.get_status_display()} {self.progress}%"


class FindingQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Finding(models.Model):
    """A child on one of the cross-check's working lists for a school year. A later run
    updates the row (never a second one); a child the check no longer finds is kept with
    `present` off. A cleared child stays cleared while `basis` (the facts that put the child
    on the list) is what it was when cleared."""

    year = models.PositiveSmallIntegerField("学年")
    kind = models.CharField("名单", max_length=16, choices=FindingKind.choices)
    id_index = models.CharField("证件号索引", max_length=32, editable=False)
    id_hint = models.CharField("证件号提示", max_length=12, editable=False, default="")
    name = models.CharField("姓名", max_length=50)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    # Each run inserts every new finding at once (≈ 200,000 at city scale), and PostgreSQL
    # checks each database foreign key row by row: only the links whose integrity matters
    # (the child, the list entry, the case, the clearing user) are checked by the database;
    # the places and runs, written by the cross-check from the tables it reads, are kept by
    # Django alone (db_constraint=False) and unindexed where no query filters on them alone.
    student = models.ForeignKey(
        "students.StudentPerson",
        verbose_name="学生",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # the list entry the child was found through (the household entry when there is one)
    entry = models.ForeignKey(
        ListEntry,
        verbose_name="名单记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    school = models.ForeignKey(
        "orgunits.School",
        verbose_name="学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    town = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="镇街",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # the school's unit, or the town for a child with no school: what scoping reads (through
    # the index on year, kind and unit)
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="所在单位",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    lists = models.CharField("所在名单", max_length=100, blank=True, default="")
    note = models.CharField("情况", max_length=200, blank=True, default="")
    basis = models.CharField("比对依据", max_length=200, blank=True, default="")
    present = models.BooleanField("本次比对仍在名单中", default=True)
    found_run = models.ForeignKey(
        CrossCheckRun,
        verbose_name="首次发现",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # the last run that changed the row; an unchanged row is not rewritten (at city scale that
    # rewrite of every row was most of a repeated run)
    seen_run = models.ForeignKey(
        CrossCheckRun,
        verbose_name="最近变化的比对",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    case = models.ForeignKey(
        DropoutCase,
        verbose_name="个案",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    clear_reason = models.CharField(
        "核销原因", max_length=20, choices=ClearReason.choices, blank=True, default=""
    )
    clear_evidence = models.CharField("核实情况与佐证", max_length=300, blank=True, default="")
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    cleared_at = models.DateTimeField("核销时间", null=True, blank=True)
    cleared_basis = models.CharField("核销时的比对依据", max_length=200, blank=True, default="")

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = "比对发现"
        verbose_name_plural = "比对发现"
        ordering = ["unit__path", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "id_index"], name="finding_year_kind_child"
            )
        ]
        # the nullable links, mostly empty, indexed where set (what deleting a child, case or
        # user looks up)
        indexes = [models.Index(fields=["year", "kind", "unit"])] + [
            models.Index(
                fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"finding_{name}"
            )
            for name in ("student", "case", "cleared_by")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} #{self.pk}"

    @property
    def is_cleared(self) -> bool:
        return bool(self.clear_reason)

    @property
    def masked_id(self) -> str:
        return crypto.masked(self.id_hint)

    def list_labels(self) -> list[str]:
        return [ListKind(k).label for k in self.lists.split(",") if k]

    @property
    def masked_note(self) -> str:
        """The note for a viewer who sees the name masked: without the categories it names
        (which lists, which roster flags are unset), as students.privacy withholds them."""
        if self.note.startswith(ON_LISTS):
            lists = [k for k in self.lists.split(",") if k in PRIORITY_LISTS]
            return f"同时在 {len(lists)} 个重点名单中"
        facts, unflagged, _ = self.note.partition(ROSTER_UNFLAGGED)
        return facts + ("；学生名册有未标记的类别" if unflagged else "")


class GrowthFileQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"

    def open(self):
        return self.exclude(status=GrowthFileStatus.EXITED)


class GrowthFile(models.Model):
    """A 学困生成长档案: the assessment that flagged the pupil (when, in which subjects, by whom,
    what was found), the support plan (who helps, how, how often), the reviews each term, and
    the exit once the child has caught up. It lives at the school that opened it."""

    person = models.ForeignKey(
        "students.StudentPerson",
        verbose_name="学生",
        on_delete=models.PROTECT,
        related_name="growth_files",
    )
    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    # the school's org unit: what scoping reads
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("建档学年")
    grade = models.PositiveSmallIntegerField("建档时年级")
    status = models.CharField(
        "状态",
        max_length=12,
        choices=GrowthFileStatus.choices,
        default=GrowthFileStatus.ASSESSED,
    )
    assessed_on = models.DateField("认定日期")
    subjects = models.CharField("学困学科", max_length=100)
    assessed_by = models.CharField("认定人", max_length=100)
    assessment = models.TextField("认定情况")
    supporter = models.CharField("帮扶责任人", max_length=100, blank=True, default="")
    support = models.TextField("帮扶措施", blank=True, default="")
    frequency = models.CharField("帮扶频次", max_length=50, blank=True, default="")
    plan_set_on = models.DateField("计划制定日期", null=True, blank=True)
    last_review_on = models.DateField("最近评估日期", null=True, blank=True)
    exited_on = models.DateField("转出日期", null=True, blank=True)
    exit_reason = models.CharField(
        "转出原因", max_length=12, choices=GrowthExitReason.choices, blank=True, default=""
    )
    exit_note = models.CharField("转出说明", max_length=300, blank=True, default="")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="建档人", on_delete=models.PROTECT, related_name="+"
    )
    # raised on every change: a form carries the version it was read at, a stale one is refused
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = GrowthFileQuerySet.as_manager()

    class Meta:
        verbose_name = "学困生成长档案"
        verbose_name_plural = "学困生成长档案"
        ordering = ["assessed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status="exited"),
                name="growth_file_one_open_per_child",
            )
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"学困生成长档案 #{self.pk}"

    @property
    def has_plan(self) -> bool:
        return self.plan_set_on is not None


class GrowthFileHolding(models.Model):
    """Which school held a growth file when: a take-over (转学, 小升初) ends one holding and
    starts the next, so a past year's figures stay with the school that held the file then."""

    file = models.ForeignKey(
        GrowthFile, verbose_name="成长档案", on_delete=models.CASCADE, related_name="holdings"
    )
    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    # the school's org unit: what the figures group by
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    # empty on the file's first holding: from the file's start, whatever its dates become
    held_from = models.DateField("接收日期", null=True, blank=True)
    held_until = models.DateField("移交日期", null=True, blank=True)

    class Meta:
        verbose_name = "学困生成长档案所在学校"
        verbose_name_plural = "学困生成长档案所在学校"
        ordering = ["file", "pk"]  # created in the order the file moved
        constraints = [
            models.UniqueConstraint(
                fields=["file"],
                condition=Q(held_until__isnull=True),
                name="growth_holding_one_current",
            )
        ]
        indexes = [models.Index(fields=["unit", "held_until"])]

    def __str__(self) -> str:
        return f"{self.file} 在 {self.school}"


class GrowthReview(models.Model):
    """A term's review of a growth file: when, by whom, how the child progressed."""

    file = models.ForeignKey(
        GrowthFile, verbose_name="成长档案", on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField("学年")
    semester = models.PositiveSmallIntegerField("学期")
    on = models.DateField("评估日期")
    reviewer = models.CharField("评估人", max_length=100)
    progress = models.CharField("进步情况", max_length=12, choices=GrowthProgress.choices)
    note = models.TextField("评估说明")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "学困生阶段评估"
        verbose_name_plural = "学困生阶段评估"
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["year", "semester"])]

    def __str__(self) -> str:
        return f"{self.year}学年第{self.semester}学期评估 {self.on}"
