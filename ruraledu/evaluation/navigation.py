"""The evaluation's menu entry: the verdict pages for district-wide roles, the schools'
diagnosis for everyone else with a unit."""

from django.urls import reverse

from .selectors import assigned_evaluations, may_view_evaluation


def expert_item(user) -> tuple[str, str] | None:
    """The entry of an expert whose role shows no evaluation (an outside expert has no unit
    at all): the evaluations assigned to them."""
    if not may_view_evaluation(user) and assigned_evaluations(user).exists():
        return ("督导评估", reverse("evaluation:evaluation_index"))
    return None


def evaluation_item(user) -> tuple[str, str]:
    if may_view_evaluation(user):
        return ("督导评估", reverse("evaluation:evaluation_index"))
    return ("学校诊断", reverse("evaluation:unit_diagnosis"))
