from django import forms

from .choices import ReviewVerdict


class FigureForm(forms.Form):
    value = forms.FloatField(label="数值")
    second_value = forms.FloatField(label="第二数值", required=False)
    source = forms.FileField(label="来源文件", required=True)
    note = forms.CharField(label="说明", max_length=200, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料")


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label="评审结论",
        choices=ReviewVerdict.choices,
        widget=forms.Select(attrs={"class": "form-select w-auto"}),
    )
    comment = forms.CharField(
        label="评审意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class ThresholdForm(forms.Form):
    threshold = forms.FloatField(label="标准值")
    second_threshold = forms.FloatField(label="第二标准值", required=False)
    provisional = forms.BooleanField(label="待核定", required=False)


class SurveySettingsForm(forms.Form):
    is_open = forms.BooleanField(label="开放作答", required=False)
    min_sample = forms.IntegerField(label="最低有效样本数", min_value=1, max_value=1_000_000)
    requires_code = forms.BooleanField(label="凭一次性作答码作答", required=False)


class CodesForm(forms.Form):
    count = forms.IntegerField(label="生成数量", min_value=1, max_value=5000)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="答卷文件（.xlsx）", error_messages={"required": "请选择答卷文件。"}
    )


class MonitoringForm(forms.Form):
    file = forms.FileField(
        label="质量监测结果文件（.xlsx）",
        error_messages={"required": "请选择质量监测结果文件。"},
    )
