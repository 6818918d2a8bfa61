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
    if isinstance(value, list):
        return "、".join(audit_value(v) for v in value) or "（空）"
    return str(value)
