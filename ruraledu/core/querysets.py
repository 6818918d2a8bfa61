"""Row-level scoping: every queryset that serves a user goes through `for_user`."""

from django.db import models
from django.db.models import Q


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
        from ruraledu.accounts.scoping import scope_paths

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        paths = scope_paths(user, action)
        if not paths:
            return self.none()
        condition = Q()
        for field in self.scope_path_fields or (self.scope_path_field,):
            for path in paths:
                condition |= Q(**{f"{field}__startswith": path})
        return self.filter(condition)
