from django import forms
from django.core.exceptions import ValidationError

from .travel_data import SCARCE
from .travel_services import DEFAULTS


class TravelForm(forms.Form):
    name = forms.CharField(label="方案名称", max_length=100)
    year = forms.IntegerField(label="学年", min_value=2000, max_value=2100)
    area = forms.ChoiceField(label="学区（无学区的按镇街）")
    weekly_max = forms.IntegerField(label="教师每周总课时上限（节）", min_value=1, max_value=40)
    per_day = forms.IntegerField(label="每次到校可上课时（节）", min_value=1, max_value=8)
    km_cap = forms.IntegerField(label="每名教师每周行程上限（公里）", min_value=0, max_value=2000)
    default_km = forms.IntegerField(
        label="未填距离时两校间距离（公里）", min_value=0, max_value=200
    )
    distances = forms.CharField(
        label="学校间距离（每行：学校代码甲,学校代码乙,公里）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    needs = forms.CharField(
        label="个别学校另定的走教课时（每行：学校代码,学科,每周课时）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, areas: dict, **kwargs):
        """`areas`: the 学区 and towns the user plans, key to name."""
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = list(areas.items())
        for subject, label in SCARCE.items():
            self.fields[f"hours_{subject}"] = forms.IntegerField(
                label=f"{label}每班每周课时（节）", min_value=0, max_value=10
            )

    @staticmethod
    def initial(year: int) -> dict:
        initial = {"year": year, **{k: DEFAULTS[k] for k in ("weekly_max", "per_day", "km_cap")}}
        initial["default_km"] = DEFAULTS["default_km"]
        initial.update({f"hours_{s}": DEFAULTS["hours"][s] for s in SCARCE})
        return initial

    def clean_distances(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["distances"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            try:
                km = float(parts[2])
                if len(parts) != 3 or km < 0:
                    raise ValueError
            except (ValueError, IndexError):
                raise ValidationError(
                    f"学校间距离第 {number} 行“{line.strip()}”格式不对：应为“学校代码甲,学校代码乙,公里”，"
                    "公里为不小于 0 的数。"
                ) from None
            rows.append([parts[0], parts[1], km])
        return rows

    def clean_needs(self):
        by_label = {label: str(key) for key, label in SCARCE.items()}
        rows = []
        for number, line in enumerate(self.cleaned_data["needs"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            try:
                if len(parts) != 3 or parts[1] not in by_label or int(parts[2]) < 0:
                    raise ValueError
            except ValueError:
                raise ValidationError(
                    f"个别学校课时第 {number} 行“{line.strip()}”格式不对：应为“学校代码,学科,每周课时”，"
                    f"学科为{'、'.join(by_label)}之一，课时为不小于 0 的整数。"
                ) from None
            rows.append([parts[0], by_label[parts[1]], int(parts[2])])
        return rows

    def inputs(self) -> dict:
        data = self.cleaned_data
        return {
            **{
                k: data[k]
                for k in ("weekly_max", "per_day", "km_cap", "default_km", "distances", "needs")
            },
            "hours": {str(s): data[f"hours_{s}"] for s in SCARCE},
        }
