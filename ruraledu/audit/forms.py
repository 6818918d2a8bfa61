from django import forms

from .choices import AuditAction
from .personal_access import PURPOSES


class AuditSearchForm(forms.Form):
    q = forms.CharField(label="记录或说明", required=False, max_length=100)
    type = forms.TypedChoiceField(label="记录类型", required=False, coerce=int, empty_value=None)
    actor = forms.CharField(label="操作人", required=False, max_length=50)
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部")] + list(AuditAction.choices)
    )
    since = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, record_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "全部")] + [
            (ct.pk, ct.model_class()._meta.verbose_name if ct.model_class() else ct.model)
            for ct in record_types
        ]


class PersonalAccessFilterForm(forms.Form):
    """Filters carried in the address (never a clear ID number: a child is its record id)."""

    actor = forms.CharField(label="操作人（账号或姓名）", required=False, max_length=50)
    purpose = forms.ChoiceField(
        label="用途",
        required=False,
        choices=(),
    )
    child = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [("", "全部"), *PURPOSES.items()]


class ChildLookupForm(forms.Form):
    """A child's ID number, posted (so it stays out of addresses and server logs)."""

    id_number = forms.CharField(label="学生证件号", max_length=30)
