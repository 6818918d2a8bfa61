from django import forms
from django.core.exceptions import ValidationError

from .inputs import COSTS, DEFAULTS, ENROLMENT, MOVERS, inputs_clean


class ScenarioForm(forms.Form):
    """Shape only; the rules of the inputs (required, not negative) are `inputs_clean`'s."""

    name = forms.CharField(label="方案名称", max_length=100)
    year = forms.IntegerField(label="学年", min_value=2000, max_value=2100)
    max_area = forms.CharField(label="每校最大新增面积（㎡）", required=False)
    max_posts = forms.CharField(label="每校最大新增编制（名）", required=False)
    budget = forms.CharField(label="预算（元，可空）", required=False)
    time_limit = forms.CharField(label="求解时限（秒）", required=False, initial=10)
    years = forms.CharField(label="分年实施年数（至目标学年，预算按年）", required=False, initial=1)
    enrolment = forms.ChoiceField(
        label="在校生口径", choices=list(ENROLMENT.items()), required=False
    )
    limits = forms.CharField(
        label="个别学校限额（每行：学校代码,最大新增面积,最大新增编制）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    movers_source = forms.ChoiceField(
        label="可调动教师", choices=list(MOVERS.items()), required=False
    )
    move_cost = forms.CharField(label="每次调动费用（元）", required=False, initial=20000)
    movers = forms.CharField(
        label="可调动教师名单（每行：教师姓名,现任学校代码[,调动费用]）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, units=(), **kwargs):
        """`units`: the districts to choose among; one (or none, when editing) is no choice."""
        super().__init__(*args, **kwargs)
        self.units = {unit.code: unit for unit in units}
        if len(self.units) > 1:
            self.fields["unit"] = forms.ChoiceField(
                label="区县", choices=[(u.code, u.name) for u in units]
            )
            self.order_fields(["unit"])
        for key, label in COSTS.items():
            self.fields[f"cost_{key}"] = forms.CharField(label=label, required=False)

    @staticmethod
    def initial_from(name: str, year: int, inputs: dict) -> dict:
        inputs = {**DEFAULTS, **inputs}
        initial = {"name": name, "year": year}
        initial.update({f"cost_{k}": v for k, v in inputs["costs"].items()})
        initial.update(
            {
                k: inputs[k]
                for k in (
                    "max_area",
                    "max_posts",
                    "budget",
                    "time_limit",
                    "years",
                    "enrolment",
                    "movers_source",
                    "move_cost",
                )
            }
        )
        initial["movers"] = "\n".join(
            ",".join([name, code] + ([f"{cost:g}"] if cost is not None else []))
            for name, code, cost in inputs["movers"]
        )
        initial["limits"] = "\n".join(
            f"{code},{v['area']:g},{v['posts']:g}" for code, v in inputs["limits"].items()
        )
        return initial

    def clean(self):
        data = super().clean()
        only = next(iter(self.units.values())) if len(self.units) == 1 else None
        data["unit"] = self.units.get(data.get("unit")) or only
        raw = {
            "costs": {k: data.get(f"cost_{k}") for k in COSTS},
            **{
                k: data.get(k)
                for k in (
                    "max_area",
                    "max_posts",
                    "budget",
                    "limits",
                    "years",
                    "enrolment",
                    "movers_source",
                    "move_cost",
                    "movers",
                )
            },
            "time_limit": data.get("time_limit") or 10,
        }
        try:
            data["inputs"] = inputs_clean(raw)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return data
