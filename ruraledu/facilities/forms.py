from django import forms

from .models import FacilityRecord
from .rules import facility_problems


class FacilityForm(forms.ModelForm):
    class Meta:
        model = FacilityRecord
        fields = [
            f.name for f in FacilityRecord._meta.fields if f.name not in ("id", "school", "year")
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field.widget, forms.CheckboxInput)
                else "form-control"
            )
            field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        stage = self.instance.school.stage if self.instance.school_id else None
        for field, message in facility_problems(data, stage):
            self.add_error(field, f"{message}。")
        return data
