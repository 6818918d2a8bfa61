"""The school profile's supervision panel, rendered per user (the profile's body is cached
for everyone, so the panel cannot be part of it)."""

from django import template
from django.utils import timezone

from ..overview import school_panel

register = template.Library()


@register.inclusion_tag("supervision/_school_panel.html", takes_context=True)
def supervision_school_panel(context, unit):
    school = getattr(unit, "school", None)
    request = context.get("request")
    if school is None or request is None:
        return {"panel": None}
    return {"panel": school_panel(user=request.user, school=school, today=timezone.localdate())}
