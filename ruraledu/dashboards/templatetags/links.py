"""Links only to pages that will open for the user."""

from django import template

from ruraledu.dashboards.selectors import unit_pages_open

register = template.Library()


@register.filter
def opens_unit_pages(user, unit_code: str | None = None) -> bool:
    """Whether the indicator, 优质均衡 and unit profile pages (for `unit_code`, or the user's own
    unit) open for `user`; the rule itself lives with the dashboards' reads."""
    return unit_pages_open(user, unit_code or None)
