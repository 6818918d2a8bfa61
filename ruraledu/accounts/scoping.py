"""Who may do what, where. The answer is computed once per request and cached on the user."""

import hashlib

from .choices import ROLE_ACTIONS, Role


def _assignments(user) -> list:
    cached = getattr(user, "_role_assignment_cache", None)
    if cached is None:
        from django.db.models import Count, Subquery

        from ruraledu.orgunits.models import OrgUnit

        # how many roots the tree has, read in the same query: a role on a root reaches the
        # whole tree only when it is the only root (or the user holds a role on every root)
        roots = (
            OrgUnit.objects.filter(parent__isnull=True)
            .order_by()
            .values("parent")
            .annotate(n=Count("pk"))
            .values("n")
        )
        cached = list(
            user.role_assignments.select_related("org_unit", "department").annotate(
                tree_roots=Subquery(roots[:1])
            )
        )
        user._role_assignment_cache = cached
    return cached


def role_fingerprint(user) -> str:
    """A digest of the user's roles (which role, on which unit or department): it changes
    whenever a role is given, taken away or moved."""
    held = sorted(
        (a.role, a.org_unit.path if a.org_unit else "", a.department.code if a.department else "")
        for a in _assignments(user)
    )
    # the number of roots too: whether a role on a root reaches the whole tree depends on it
    text = repr((user.is_superuser, user.is_active, tree_root_count(user), held))
    return hashlib.sha256(text.encode()).hexdigest()


def tree_root_count(user) -> int:
    """How many roots the org tree has (0 for a user without roles), without a query."""
    assignments = _assignments(user)
    return (assignments[0].tree_roots or 0) if assignments else 0


def role_units(user, action: str, kinds) -> list:
    """The units of the given `kinds` on which `user` holds a role that may do `action`, by
    path: what a role reaches told by the kind of unit it is on, wherever that unit sits in
    the tree (a town is one level deeper under a city than in a single-district install)."""
    return sorted(
        {
            a.org_unit
            for a in _assignments(user)
            if a.org_unit_id and a.org_unit.kind in kinds and action in ROLE_ACTIONS.get(a.role, ())
        },
        key=lambda unit: unit.path,
    )


def bureau_units(user, action: str = "review") -> list:
    """The province, city and district units on which `user` may do `action`: the bureau of
    a district is its reviewers there, wherever the district sits in the tree."""
    from ruraledu.orgunits.choices import BUREAU_KINDS

    return role_units(user, action, BUREAU_KINDS)


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
    """Whether an administrator's or leader's role reaches the whole tree (every root)."""
    if user.is_superuser:
        return True
    roots = {
        a.org_unit_id
        for a in _assignments(user)
        if a.org_unit_id
        and a.org_unit.parent_id is None
        and a.role in (Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER)
    }
    return bool(roots) and len(roots) >= tree_root_count(user)
