"""Shape and type checks for the reporting pages; writes happen in services."""

from django import forms

from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS, OrgUnitKind
from ruraledu.orgunits.models import Department, OrgUnit
from ruraledu.plans.choices import MilestoneStatus

from .bounds import value_bounds
from .choices import CalendarDayKind, Frequency
from .evidence import ACCEPT_ATTRIBUTE, ALLOWED_LABEL, max_bytes, megabytes

TEXT_LIMIT = 10_000


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates render fields as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            classes = widget.attrs.get("class", "").split()
            if css not in classes:
                widget.attrs["class"] = " ".join([*classes, css])


class ProgressReportForm(BootstrapMixin, forms.Form):
    """The reporter's text and one set of fields per target line of the report."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    work_done = forms.CharField(
        label="本期工作完成情况",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    problems = forms.CharField(
        label="存在的问题",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_steps = forms.CharField(
        label="下步工作打算",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            target = line.target
            if line.is_milestone:
                self.fields[f"progress_{target.pk}"] = forms.ChoiceField(
                    label=f"{target.code} 进展",
                    required=False,
                    choices=[("", "请选择")] + list(MilestoneStatus.choices),
                    initial=line.progress,
                )
            else:
                low, high = value_bounds(target)
                self.fields[f"value_{target.pk}"] = forms.DecimalField(
                    label=f"{target.code} 本期填报数值",
                    required=False,
                    max_digits=14,
                    decimal_places=4,
                    min_value=low,
                    max_value=high,
                    initial=line.value,
                )
            self.fields[f"note_{target.pk}"] = forms.CharField(
                label=f"{target.code} 说明",
                required=False,
                max_length=2000,
                initial=line.note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.style_widgets()
        for line in self.lines:
            line.progress_field = self[f"progress_{line.target.pk}"] if line.is_milestone else None
            line.value_field = None if line.is_milestone else self[f"value_{line.target.pk}"]
            line.note_field = self[f"note_{line.target.pk}"]

    def line_values(self) -> dict[int, dict]:
        values = {}
        for line in self.lines:
            pk = line.target.pk
            values[pk] = {
                "progress": self.cleaned_data.get(f"progress_{pk}", ""),
                "value": self.cleaned_data.get(f"value_{pk}"),
                "note": self.cleaned_data.get(f"note_{pk}", ""),
            }
        return values


class EvidenceUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="佐证材料",
        help_text=f"接受 {ALLOWED_LABEL}，单个文件不超过 {megabytes(max_bytes())}。",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    target = forms.TypedChoiceField(label="对应目标", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "整份报告")] + [
            (t.pk, f"{t.code} {t.text[:30]}") for t in targets
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                f"文件过大（{megabytes(upload.size)}），单个佐证材料不能超过 {megabytes(max_bytes())}。"
            )
        return upload


class ReturnForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="退回原因",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "退回时必须填写退回原因。"},
    )


class ApproveForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label="审核意见（可选）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_done = forms.TypedMultipleChoiceField(
        label="确认以下节点任务已完成",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, claimed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm_done"].choices = [(t.pk, f"{t.code} {t.text}") for t in claimed]


class VersionForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ScheduleForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    frequency = forms.ChoiceField(label="报告周期", choices=Frequency.choices)
    deadline_working_days = forms.IntegerField(
        label="截止期限：期末后第几个工作日", min_value=1, max_value=60, initial=10
    )
    starts_on = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label="结束日期（可空）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    departments = forms.ModelMultipleChoiceField(
        label="填报部门",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    org_units = forms.ModelMultipleChoiceField(
        label="填报学校或镇街",
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.all()
        self.fields["org_units"].queryset = OrgUnit.objects.filter(
            kind__in=[OrgUnitKind.SCHOOL, *TOWN_LEVEL_KINDS],
            is_active=True,
        ).order_by("path")

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于起始日期。")
        return data


class CalendarDayForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="类型", choices=CalendarDayKind.choices)
    name = forms.CharField(label="节日名称", required=False, max_length=50)


class MilestoneForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label="节点进展", choices=MilestoneStatus.choices)
    note = forms.CharField(label="说明", required=True, max_length=500)
