from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """Whole yuan with thousands separators; empty for no value."""
    if value in (None, ""):
        return ""
    return f"{float(value):,.0f}"


@register.filter
def percent(value) -> str:
    """A solver gap (a fraction) as a percentage; a dash when there is none."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.3f} %"
