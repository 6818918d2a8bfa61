"""Shape checks of the case forms; every rule about the case itself is in the services."""

from django import forms
from django.utils import timezone

from .choices import (
    OUTCOME_STATUSES,
    CaseCategory,
    CaseFileKind,
    CaseSource,
    ClearReason,
    CloseReason,
    ContactKind,
    GrowthExitReason,
    GrowthProgress,
)

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
# room for a page of plan or record; beyond that is pasted by mistake (and breaks layouts)
LONG_TEXT = 2000


def long_text(label: str, name: str, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=LONG_TEXT,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": f"{name}最多 {LONG_TEXT} 个字（现在 %(show_value)d 个字），请精简。"
        },
    )


class CareForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class VersionedForm(CareForm):
    """Carries the version of the case the officer read; the service refuses a stale one."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)


class CaseOpenForm(CareForm):
    id_number = forms.CharField(label="身份证号", max_length=18, min_length=15)
    name = forms.CharField(label="姓名", max_length=50)
    category = forms.ChoiceField(label="类别", choices=CaseCategory.choices)
    source = forms.ChoiceField(label="来源", choices=CaseSource.choices)
    opened_on = forms.DateField(label="发现日期", widget=DATE, initial=timezone.localdate)


class AssignForm(VersionedForm):
    teacher_name = forms.CharField(label="班主任", max_length=50)
    village_cadre = forms.CharField(label="包村干部（姓名、职务、电话）", max_length=100)

    def __init__(self, *args, at_school: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not at_school:  # a child never enrolled (a case the town holds) has no 班主任
            self.fields["teacher_name"].required = False
            self.fields["teacher_name"].label = "班主任（未在校就读的可不填）"


class PlanForm(VersionedForm):
    plan = long_text("劝返方案（措施、责任人、时间）", "劝返方案", rows=4)


class ContactForm(VersionedForm):
    kind = forms.ChoiceField(label="方式", choices=ContactKind.choices)
    who = forms.CharField(label="参与人员", max_length=200)
    outcome = long_text("情况与结果", "情况与结果")
    next_step = forms.CharField(label="下一步", max_length=300, required=False)


class ResolveForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="劝返结果", choices=[(s.value, s.label) for s in OUTCOME_STATUSES]
    )
    placement_note = forms.CharField(
        label="安置去向（转入特教或送教时填写）", max_length=200, required=False
    )
    certificate_number = forms.CharField(
        label="诊断证明编号（因病休学时填写）", max_length=50, required=False
    )
    certificate_issuer = forms.CharField(
        label="出具医院（因病休学时填写）", max_length=100, required=False
    )
    note = forms.CharField(label="说明", max_length=300, required=False)


class EscalateForm(VersionedForm):
    guardian = forms.CharField(label="监护人（通知书送达对象）", max_length=50, required=False)
    procedure = long_text("启动的行政或司法程序", "行政或司法程序", required=False)


class CloseForm(VersionedForm):
    reason = forms.ChoiceField(label="结案原因", choices=CloseReason.choices)
    note = forms.CharField(label="结案依据或核实情况", max_length=300, required=False)


class FindingClearForm(CareForm):
    reason = forms.ChoiceField(label="核销原因", choices=ClearReason.choices)
    evidence = forms.CharField(
        label="核实情况与佐证（迁入地或就读学校、证明材料编号、核实人和方式）",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GrowthOpenForm(CareForm):
    assessed_on = forms.DateField(label="认定日期", widget=DATE, initial=timezone.localdate)
    subjects = forms.CharField(label="学困学科（如 语文、数学）", max_length=100)
    assessed_by = forms.CharField(label="认定人（教师或教研组）", max_length=100)
    assessment = long_text("认定情况（测试成绩、主要困难）", "认定情况")


class GrowthPlanForm(VersionedForm):
    supporter = forms.CharField(label="帮扶责任人", max_length=100)
    support = long_text("帮扶措施（做什么、怎么做）", "帮扶措施")
    frequency = forms.CharField(label="帮扶频次（如 每周 2 次）", max_length=50)


class GrowthReviewForm(VersionedForm):
    reviewer = forms.CharField(label="评估人", max_length=100)
    progress = forms.ChoiceField(label="进步情况", choices=GrowthProgress.choices)
    note = long_text("评估说明（成绩、表现、下阶段调整）", "评估说明")


class GrowthExitForm(VersionedForm):
    reason = forms.ChoiceField(label="转出原因", choices=GrowthExitReason.choices)
    note = forms.CharField(label="转出说明", max_length=300, required=False)


class CaseFileForm(CareForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # chosen by hand: a default would file any upload as a medical certificate
    kind = forms.ChoiceField(
        label="材料类别",
        choices=[("", "请选择"), *CaseFileKind.choices],
        error_messages={"required": "请选择材料类别。"},
    )
    file = forms.FileField(
        label="文件（PDF、Word、Excel 或图片）", error_messages={"required": "请选择文件。"}
    )


class RetentionForm(CareForm):
    years = forms.IntegerField(label="结案后保存年限（年）", min_value=1, max_value=30)
