"""Shape checks of the care forms; every rule about the child or school is in the services."""

from django import forms
from django.utils import timezone

from .choices import ContactKind

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class MentorForm(StyledForm):
    mentor = forms.ModelChoiceField(
        label="成长导师", queryset=None, required=False, empty_label="（不指定）"
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = staff


class ContactForm(StyledForm):
    on = forms.DateField(label="联系日期", widget=DATE, initial=timezone.localdate)
    kind = forms.ChoiceField(label="方式", choices=ContactKind.choices)
    who = forms.CharField(label="联系人（谁联系的）", max_length=100)
    content = forms.CharField(
        label="内容（了解到的情况、谈了什么）", widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up = forms.CharField(label="后续安排", max_length=300, required=False)


class ActivityForm(StyledForm):
    school = forms.ModelChoiceField(label="学校", queryset=None)
    on = forms.DateField(label="活动日期", widget=DATE, initial=timezone.localdate)
    title = forms.CharField(label="活动内容", max_length=200)
    participants = forms.IntegerField(label="参加人数", min_value=1, max_value=5000)
    led_by = forms.CharField(label="组织人", max_length=100)
    note = forms.CharField(label="备注", max_length=300, required=False)
    photo = forms.FileField(
        label="照片（可选，JPEG 或 PNG）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].label_from_instance = lambda school: school.org_unit.name
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
