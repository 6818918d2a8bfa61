"""Who may do what, where. The answer is computed once per request and cached on the user."""

from .choices import ROLE_ACTIONS, Role


def _assignments(user) -> list:
    cached = getattr(user, "_role_assignment_cache", None)
    if cached is None:
        cached = list(user.role_assignments.select_related("org_unit", "department"))
        user._role_assignment_cache = cached
    return cached


def scope_paths(user, action: str) -> list[str]:
    """Org-tree path prefixes where `user` may perform `action`."""
    return sorted(
        {
            a.org_unit.path
            for a in _assignments(user)
            if a.org_unit_id and action in ROLE_ACTIONS.get(a.role, ())
        }
    )


def user_departments(user) -> list:
    return [a.department for a in _assignments(user) if a.department_id]


def user_roles(user) -> set[str]:
    return {a.role for a in _assignments(user)}


def can(user, action: str) -> bool:
    """Whether `user` may do `action` anywhere at all (for navigation and plan-level pages)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(action in ROLE_ACTIONS.get(a.role, ()) for a in _assignments(user))


def is_district_wide(user) -> bool:
    if user.is_superuser:
        return True
    return any(
        a.org_unit_id and a.org_unit.parent_id is None
        for a in _assignments(user)
        if a.role in (Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER)
    )
