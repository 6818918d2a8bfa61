"""The one permission policy for single records: may this user do this action on a record that
lives at this place of the org tree? Reads, writes and personal data are all decided here, per
record, by the role the user holds where the record lives (never by a role held elsewhere)."""

from .choices import Action
from .scoping import scope_paths


def is_root_path(path: str) -> bool:
    """The path of a root of the org tree (the district)."""
    return path.count("/") == 1


class Reach:
    """The subtrees where `user` may do `action`, resolved once; `covers(path)` decides a record.

    A record's path is its school's (or unit's) org-tree path; a role on a unit reaches every
    path that starts with the unit's own.
    """

    def __init__(self, user, action: str):
        active = user is not None and user.is_authenticated and user.is_active
        self.everywhere = bool(active and user.is_superuser)
        self.paths: tuple[str, ...] = (
            () if self.everywhere or not active else tuple(scope_paths(user, action))
        )
        # a role on a root unit reaches every record: importers then skip per-record checks
        self.whole_tree = self.everywhere or any(map(is_root_path, self.paths))

    def covers(self, path: str | None) -> bool:
        return self.everywhere or bool(path and path.startswith(self.paths))

    def covers_all(self, paths) -> bool:
        return all(map(self.covers, paths))

    def __bool__(self) -> bool:
        return self.everywhere or bool(self.paths)


def is_bureau(user) -> bool:
    """The district bureau (区教体局): superusers and the reviewers of the whole tree. It alone
    starts and confirms school years, edits standards, reviews reports and reads the audit
    trail; every such decision asks this one function."""
    return Reach(user, Action.REVIEW).whole_tree


def bureau_users():
    """The active users `is_bureau` says yes to who hold a role (superusers without a role
    are technicians, not the bureau's staff): reviewers and recipients of the bureau's notices."""
    from django.contrib.auth import get_user_model

    from .choices import ROLE_ACTIONS
    from .models import RoleAssignment

    roles = [r for r, actions in ROLE_ACTIONS.items() if Action.REVIEW in actions]
    ids = RoleAssignment.objects.filter(role__in=roles, org_unit__parent__isnull=True).values(
        "user_id"
    )
    return get_user_model().objects.filter(pk__in=ids, is_active=True)
