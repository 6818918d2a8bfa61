"""The evaluation's menu entry: the verdict pages for district-wide roles, the schools'
diagnosis for everyone else with a unit."""

from django.urls import reverse

from .selectors import may_view_evaluation


def evaluation_item(user) -> tuple[str, str]:
    if may_view_evaluation(user):
        return ("督导评估", reverse("evaluation:evaluation_index"))
    return ("学校诊断", reverse("evaluation:unit_diagnosis"))
