from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from .models import Enrolment
from .privacy import CATEGORIES
from .rules import DISTANCE_MAX, DISTANCE_MIN

DISTANCE_RANGE = f"家校距离须在 {DISTANCE_MIN}～{DISTANCE_MAX} 公里之间，请改正后再保存。"


class EnrolmentForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = [
            "grade",
            "class_name",
            "boarding",
            "distance_km",
            "transport",
            "lunch_needed",
            "lunch_served",
            "left_behind",
            "disability",
            "placement",
            "orphan",
            "unattended",
            "hardship",
            "family_status",
            "struggling",
            "aid_received",
        ]

    def __init__(self, *args, clear_names: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not clear_names:  # the ticked boxes would say which categories the child is in
            for name in CATEGORIES:
                self.fields.pop(name, None)
        # the import template's range (0–200 km): a page edit may not file what an import refuses
        distance = self.fields["distance_km"]
        distance.validators += [
            MinValueValidator(DISTANCE_MIN, DISTANCE_RANGE),
            MaxValueValidator(DISTANCE_MAX, DISTANCE_RANGE),
        ]
        distance.widget.attrs.update(min=DISTANCE_MIN, max=DISTANCE_MAX)
        for field in self.fields.values():
            checkbox = isinstance(field.widget, forms.CheckboxInput)
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-check-input" if checkbox else "form-select" if select else "form-control"
            )


class TransferRequestForm(forms.Form):
    """The receiving school's request: who (ID number and name, both as on file) and where."""

    id_number = forms.CharField(label="学生证件号码", max_length=19)
    name = forms.CharField(label="学生姓名", max_length=50)
    to_school = forms.ModelChoiceField(
        label="转入学校",
        queryset=None,
        empty_label="请选择转入学校",
        error_messages={"required": "请选择转入学校。"},
    )
    grade = forms.IntegerField(label="转入年级", min_value=1, max_value=12)
    class_name = forms.CharField(label="转入班级", max_length=20, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_school"].queryset = schools
        self.fields["to_school"].label_from_instance = lambda s: s.org_unit.name
        # a school clerk receives into their one school: chosen already, no prompt to pass
        if len(only := list(schools[:2])) == 1:
            self.fields["to_school"].empty_label = None
            self.fields["to_school"].initial = only[0].pk
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def clean_id_number(self):
        from ruraledu.core import crypto
        from ruraledu.spreadsheets.importing import id_problem

        number = crypto.normalise_id(self.cleaned_data["id_number"])
        kind = "student_no" if len(number) == 19 else "ric"
        if problem := id_problem(number, kind):
            raise forms.ValidationError(problem)
        return number
