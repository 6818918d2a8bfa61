import datetime as dt

from django import forms
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import School

from .choices import Semester


class PublishForm(forms.Form):
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none())
    semester = forms.TypedChoiceField(label="学期", choices=Semester.choices, coerce=int)
    starts_on = forms.DateField(
        label="公示开始日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label="公示截止日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = School.objects.for_user(user, Action.CARE).exclude(
            org_unit__kind=OrgUnitKind.CAMPUS
        )
        self.fields["school"].queryset = schools.select_related("org_unit").order_by(
            "org_unit__path"
        )
        self.fields["school"].label_from_instance = lambda s: s.org_unit.name
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + dt.timedelta(days=7)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)
