"""Row-level scoping: every queryset that serves a user goes through `for_user`.

Which subtrees a user reaches is the accounts app's rule (roles assigned on org units); it
hands that rule in at start-up with `use_scope_paths`, so this module knows no role."""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

# (user, action) -> the org-tree paths the user reaches for that action
_scope_paths: Callable[[object, str], list[str]] | None = None


def use_scope_paths(rule: Callable[[object, str], list[str]]) -> None:
    """Set the rule `for_user` asks (called once, by the accounts app when it is ready)."""
    global _scope_paths
    _scope_paths = rule


class ScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a place in the org tree.

    Subclasses name the lookup to the org unit path (`scope_path_field`). A role assigned on
    an org unit reaches its whole subtree (the path is a prefix of every descendant's path).
    """

    scope_path_field: str = "org_unit__path"
    # a record that lives at two places (a transfer: sending and receiving school) is seen
    # from either; such subclasses list both lookups here
    scope_path_fields: tuple[str, ...] = ()

    def for_user(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if _scope_paths is None:
            raise ImproperlyConfigured("No scope rule: the accounts app is not installed.")
        paths = _scope_paths(user, action)
        if not paths:
            return self.none()
        condition = Q()
        for field in self.scope_path_fields or (self.scope_path_field,):
            for path in paths:
                condition |= Q(**{f"{field}__startswith": path})
        return self.filter(condition)
