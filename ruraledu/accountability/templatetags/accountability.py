"""The department page's include of its steps, read within the viewer's scope (the cockpit
loads its latest steps by htmx from `accountability:recent`, outside its cached body)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("accountability/_steps.html", takes_context=True)
def accountability_for_department(context, department):
    user = context["request"].user
    return {
        "steps": selectors.steps_for_department(user=user, department=department),
        "title": "问责记录",
        "show_subject": False,
    }
