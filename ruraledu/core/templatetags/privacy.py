from django import template

register = template.Library()


@register.filter
def person_name(name: str, clear: bool) -> str:
    """A minor's name in full for roles that need it, else 张*明."""
    if clear or len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 2) + name[-1] if len(name) > 2 else name[0] + "*"
