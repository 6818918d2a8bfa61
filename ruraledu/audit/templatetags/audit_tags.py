from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def audit_url(instance) -> str:
    """The audit history page of a record."""
    meta = instance._meta
    return reverse("audit:record_history", args=[meta.app_label, meta.model_name, instance.pk])


@register.filter
def audit_value(value) -> str:
    """A before/after value as a person reads it."""
    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, dict):
        return "；".join(f"{k}：{audit_value(v)}" for k, v in value.items())
    if isinstance(value, list) and value and all(_is_id_range(v) for v in value):
        return "、".join(
            f"{first}–{last}" if first != last else str(first) for first, last in value
        )
    if isinstance(value, list):
        return "、".join(audit_value(v) for v in value) or "（空）"
    return str(value)


def _is_id_range(value) -> bool:
    """[first, last] as an import's audit row lists the records it created."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(type(v) is int for v in value)
        and value[0] <= value[1]
    )
