"""The menu entries of the hotline and 问责, for the navigation's "热线与问责" group."""

from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.policy import is_bureau
from ruraledu.accounts.scoping import user_departments, user_roles

# roles that answer complaints assigned to them or read them (leaders); 问责 they read
READERS = frozenset({Role.DISTRICT_LEADER, Role.TOWN_OFFICER, Role.SCHOOL_CLERK})


def hotline_items(user) -> list[tuple[str, str]]:
    bureau = is_bureau(user)
    if not (bureau or user_roles(user) & READERS or user_departments(user)):
        return []
    accountability = "accountability:candidate_list" if bureau else "accountability:step_list"
    return [
        ("督学热线", reverse("hotline:complaint_list")),
        ("问责", reverse(accountability)),
    ]
