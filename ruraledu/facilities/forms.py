from django import forms

from .models import FacilityRecord


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
