from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """Whole yuan with thousands separators; empty for no value."""
    if value in (None, ""):
        return ""
    return f"{float(value):,.0f}"
