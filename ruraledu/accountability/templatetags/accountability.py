"""Small includes other pages show: a department's steps (department page) and the latest
steps (cockpit), each read within the viewer's scope."""

from django import template

from .. import selectors

register = template.Library()

COCKPIT_LIMIT = 8


@register.inclusion_tag("accountability/_steps.html", takes_context=True)
def accountability_for_department(context, department):
    user = context["request"].user
    return {
        "steps": selectors.steps_for_department(user=user, department=department),
        "title": "问责记录",
        "show_subject": False,
    }


@register.inclusion_tag("accountability/_steps.html", takes_context=True)
def accountability_recent(context):
    user = context["request"].user
    return {
        "steps": list(selectors.step_list(user=user)[:COCKPIT_LIMIT]),
        "title": "近期问责",
        "show_subject": True,
        "more": True,
    }
