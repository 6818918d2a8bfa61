"""The two national evaluation frameworks as data, one evaluation per framework and year, the
yearly figures and evidence behind its items, expert reviews and the 社会认可度 survey."""

import secrets

from django.conf import settings
from django.db import models

from ruraledu.reporting.models import evidence_path

from .choices import (
    Answer,
    Comparator,
    Framework,
    ItemKind,
    MonitoringGrade,
    MonitoringLevel,
    RespondentGroup,
    ReviewVerdict,
)


class EvaluationItem(models.Model):
    """One indicator of a framework, loaded from the reference files; its thresholds are
    defaults the bureau may edit (`edited` keeps a refresh from overwriting them)."""

    framework = models.CharField("评估办法", max_length=8, choices=Framework.choices)
    code = models.CharField("编号", max_length=8)
    part = models.CharField("部分", max_length=20)
    name = models.CharField("指标", max_length=300)
    kind = models.CharField("认定方式", max_length=10, choices=ItemKind.choices)
    threshold_text = models.CharField("标准（原文）", max_length=100, blank=True, default="")
    value_label = models.CharField("数值名称", max_length=60, blank=True, default="")
    unit = models.CharField("单位", max_length=8, blank=True, default="")
    comparator = models.CharField(
        "比较", max_length=8, choices=Comparator.choices, default=Comparator.JUDGED
    )
    threshold = models.FloatField("标准值", null=True, blank=True)
    second_label = models.CharField("第二数值名称", max_length=60, blank=True, default="")
    second_comparator = models.CharField(
        "第二数值比较", max_length=8, choices=Comparator.choices, blank=True, default=""
    )
    second_threshold = models.FloatField("第二标准值", null=True, blank=True)
    second_unit = models.CharField("第二数值单位", max_length=8, blank=True, default="")
    indicator_code = models.CharField("指标引擎代码", max_length=64, blank=True, default="")
    second_indicator_code = models.CharField(
        "第二指标引擎代码", max_length=64, blank=True, default=""
    )
    provisional = models.BooleanField("待核定", default=False)
    edited = models.BooleanField("区教体局已修改", default=False)
    source = models.CharField("依据", max_length=200, blank=True, default="")
    responsible = models.CharField("责任单位", max_length=100, blank=True, default="")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评估指标"
        verbose_name_plural = "评估指标"
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="evaluation_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:40]}"

    @property
    def has_second(self) -> bool:
        return bool(self.second_comparator)


class Evaluation(models.Model):
    """One framework's evaluation of a district (县域, what both frameworks assess) for a
    school year; a platform serving several districts holds one per district."""

    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="被评估区县", on_delete=models.PROTECT, related_name="+"
    )
    framework = models.CharField("评估办法", max_length=8, choices=Framework.choices)
    year = models.PositiveSmallIntegerField("学年")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # closing freezes what was submitted: the sheet is then read from `snapshot`
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结束人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    snapshot = models.JSONField("结束时的结果", default=dict, blank=True)

    class Meta:
        verbose_name = "督导评估"
        verbose_name_plural = "督导评估"
        ordering = ["-year", "framework"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "framework", "year"], name="evaluation_unit_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.year}学年{self.get_framework_display()}督导评估"


class AnnualFigure(models.Model):
    """A yearly figure the registry does not hold, entered once with its source document."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="figures")
    item = models.ForeignKey(EvaluationItem, on_delete=models.PROTECT, related_name="+")
    value = models.FloatField("数值")
    second_value = models.FloatField("第二数值", null=True, blank=True)
    source = models.ForeignKey(
        "ItemEvidence", verbose_name="来源文件", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=200, blank=True, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("填报时间")

    class Meta:
        verbose_name = "年度数值"
        verbose_name_plural = "年度数值"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="annual_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} = {self.value}"


class ItemEvidence(models.Model):
    """A document behind an item (for the district, or for one school), checked by content
    like every evidence file and served only through a scoped view."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(EvaluationItem, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField("文件", upload_to=evidence_path, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "评估佐证材料"
        verbose_name_plural = "评估佐证材料"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ExpertReview(models.Model):
    """An expert's verdict on a judged item. Rows are only added: the latest is the item's
    verdict, the earlier ones its history."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reviews")
    item = models.ForeignKey(EvaluationItem, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField("评审结论", max_length=8, choices=ReviewVerdict.choices)
    comment = models.TextField("评审意见", max_length=2000)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评审专家",
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("评审时间")
    # the lead expert's or the bureau's: the item's verdict; others are opinions beside it
    is_final = models.BooleanField("最终结论", default=True)

    class Meta:
        verbose_name = "专家评审意见"
        verbose_name_plural = "专家评审意见"
        ordering = ["-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_verdict_display()}"


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Survey(models.Model):
    """The 社会认可度 survey of an evaluation: questionnaires per respondent group, answered
    anonymously through a public link."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="survey")
    token = models.CharField("链接标识", max_length=32, unique=True, default=new_token)
    is_open = models.BooleanField("开放作答", default=True)
    min_sample = models.PositiveIntegerField("最低有效样本数", default=100)
    requires_code = models.BooleanField("凭一次性作答码作答", default=False)

    class Meta:
        verbose_name = "社会认可度调查"
        verbose_name_plural = "社会认可度调查"

    def __str__(self) -> str:
        return f"{self.evaluation} 社会认可度调查"


class SurveyGroup(models.Model):
    """A respondent group of a survey with its weight and its planned minimum sample."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="groups")
    group = models.CharField("调查对象", max_length=10, choices=RespondentGroup.choices)
    weight = models.FloatField("权重")
    min_sample = models.PositiveIntegerField("最低样本数", default=10)

    class Meta:
        verbose_name = "调查对象"
        verbose_name_plural = "调查对象"
        constraints = [
            models.UniqueConstraint(fields=["survey", "group"], name="survey_group_unique")
        ]

    def __str__(self) -> str:
        return self.get_group_display()


class SurveyQuestion(models.Model):
    """One question of a group's questionnaire (answered 满意 … 不满意)."""

    group = models.ForeignKey(SurveyGroup, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField("题号")
    text = models.CharField("题目", max_length=200)

    class Meta:
        verbose_name = "问卷题目"
        verbose_name_plural = "问卷题目"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="survey_question_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class SurveyResponse(models.Model):
    """One anonymous questionnaire: no account, address or time of day is kept."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField("调查对象", max_length=10, choices=RespondentGroup.choices)
    school = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answers = models.JSONField("答案")  # question number (str) -> Answer value
    satisfied = models.PositiveSmallIntegerField("认可的答案数")
    answered = models.PositiveSmallIntegerField("作答题数")
    imported = models.BooleanField("由 Excel 导入", default=False)
    answered_on = models.DateField("作答日期")

    class Meta:
        verbose_name = "问卷答卷"
        verbose_name_plural = "问卷答卷"
        indexes = [models.Index(fields=["survey", "group"])]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.satisfied}/{self.answered}"


ANSWER_VALUES = frozenset(Answer.values)


class AnswerCounter(models.Model):
    """Questionnaires sent from one address to one survey within the current hour, under a
    keyed hash of (survey, address, hour): the address itself is never stored, and rows of
    past hours are deleted."""

    key = models.CharField("键", max_length=64, unique=True)
    hour = models.DateTimeField("小时", db_index=True)
    count = models.PositiveIntegerField("份数", default=0)

    class Meta:
        verbose_name = "作答频率计数"
        verbose_name_plural = "作答频率计数"

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}时 {self.count}"


class EvaluationExpert(models.Model):
    """An expert (评估专家) the bureau assigned to one evaluation: they see that evaluation only
    and give opinions on its judged items; the lead expert's opinion is the item's verdict."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="experts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="专家", on_delete=models.CASCADE, related_name="+"
    )
    is_lead = models.BooleanField("组长", default=False)
    assigned_at = models.DateTimeField("分派时间", auto_now_add=True)

    class Meta:
        verbose_name = "评估专家"
        verbose_name_plural = "评估专家"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "user"], name="evaluation_expert_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}{'（组长）' if self.is_lead else ''}"


class SurveyCode(models.Model):
    """A one-time code handed out on paper: it lets one questionnaire in. Only its keyed hash
    is stored, and a used code is not linked to the answer it let in."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField("散列", max_length=64, unique=True)
    used = models.BooleanField("已使用", default=False)

    class Meta:
        verbose_name = "一次性作答码"
        verbose_name_plural = "一次性作答码"

    def __str__(self) -> str:
        return f"{self.survey_id} {'已使用' if self.used else '未使用'}"


class MonitoringResult(models.Model):
    """One subject of the 国家义务教育质量监测 report a district receives: the district's
    学业表现水平 and the between-school difference (校际差异率) of that subject and grade."""

    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="区县", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("监测学年")
    grade = models.PositiveSmallIntegerField("年级", choices=MonitoringGrade.choices)
    subject = models.CharField("学科", max_length=20)
    level = models.PositiveSmallIntegerField("学业表现水平", choices=MonitoringLevel.choices)
    school_gap = models.FloatField("校际差异率")
    source_name = models.CharField("来源文件", max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField("导入时间", auto_now=True)

    class Meta:
        verbose_name = "质量监测结果"
        verbose_name_plural = "质量监测结果"
        ordering = ["-year", "grade", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "grade", "subject"], name="monitoring_result_unit_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_grade_display()}{self.subject} {self.get_level_display()}"
