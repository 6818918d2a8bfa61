"""Shape checks of the forms; every rule about the child is in the services and the models."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import School
from ruraledu.reporting.evidence import ACCEPT_ATTRIBUTE, ALLOWED_LABEL

from .choices import DecisionKind

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class DecisionForm(StyledForm):
    kind = forms.ChoiceField(label="安置方式", choices=DecisionKind.choices)
    school = forms.ModelChoiceField(
        label="就读或送教学校", queryset=School.objects.none(), required=False
    )
    place_note = forms.CharField(
        label="学校或去向说明（区外学校名称等）", max_length=200, required=False
    )
    reason = forms.CharField(
        label="理由（暂缓入学、不适宜入学须填写）",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    evidence = forms.CharField(
        label="依据材料编号（诊断证明、专家委员会评估意见的编号）", max_length=300, required=False
    )
    evidence_file = forms.FileField(
        label="依据材料文件（暂缓入学、不适宜入学须上传）",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=f"{ALLOWED_LABEL}；已上传过的，不选择则保留原文件。",
    )
    decided_on = forms.DateField(label="决定日期", widget=DATE, initial=timezone.localdate)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = (
            School.objects.for_user(user, Action.CARE)
            .filter(org_unit__kind=OrgUnitKind.SCHOOL, org_unit__is_active=True)
            .select_related("org_unit")
            .order_by("org_unit__path")
        )
        self.fields["school"].label_from_instance = lambda s: s.org_unit.name


class VisitForm(StyledForm):
    on = forms.DateField(label="送教日期", widget=DATE, initial=timezone.localdate)
    teachers = forms.CharField(label="送教教师", max_length=200)
    content = forms.CharField(label="送教内容", widget=forms.Textarea(attrs={"rows": 3}))
    hours = forms.DecimalField(
        label="时长（小时）",
        min_value=Decimal("0.5"),
        max_value=Decimal("8"),
        decimal_places=1,
        initial=Decimal("2"),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


class RuleForm(StyledForm):
    visits_per_month = forms.IntegerField(label="每月至少送教次数", min_value=1, max_value=8)
    term_months = forms.CharField(
        label="计入的教学月份（逗号分隔）", max_length=40, help_text="如 9,10,11,12,1,3,4,5,6"
    )
