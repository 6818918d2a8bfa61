"""The one permission policy for single records: may this user do this action on a record that
lives at this place of the org tree? Reads, writes and personal data are all decided here, per
record, by the role the user holds where the record lives (never by a role held elsewhere)."""

from .choices import Action
from .scoping import bureau_units, role_units, scope_paths, tree_root_count

__all__ = ["Reach", "bureau_units", "bureau_users", "is_bureau", "is_root_path", "role_units"]


def is_root_path(path: str) -> bool:
    """The path of a root of the org tree: the district of a single-district install, the city
    or province above many districts. A role there reaches the whole tree only if the tree
    has no other root: ask `Reach(...).whole_tree`, never this, to decide that."""
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
        # a role on the root reaches every record (importers then skip per-record checks);
        # where the tree has several roots (districts side by side), only a role on each
        roots = sum(map(is_root_path, self.paths))
        self.whole_tree = self.everywhere or bool(roots and roots >= tree_root_count(user))

    def covers(self, path: str | None) -> bool:
        return self.everywhere or bool(path and path.startswith(self.paths))

    def covers_all(self, paths) -> bool:
        return all(map(self.covers, paths))

    def __bool__(self) -> bool:
        return self.everywhere or bool(self.paths)


def is_bureau(user) -> bool:
    """The install's bureau: superusers and the reviewers of the whole tree — the 区教体局 of a
    single-district install, the city (province) bureau above many districts. It alone starts
    and confirms school years, edits standards, reviews reports and reads the audit trail,
    which are held for the whole install; every such decision asks this one function.

    The bureau of one district among many is `bureau_units(user)`: its reviewers on the
    district unit, reaching that district's records (and its own plan) and nothing else."""
    return Reach(user, Action.REVIEW).whole_tree


def bureau_users():
    """The active users `is_bureau` says yes to who hold a role (superusers without a role
    are technicians, not the bureau's staff): reviewers and recipients of the bureau's notices."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from ruraledu.orgunits.models import OrgUnit

    from .choices import ROLE_ACTIONS
    from .models import RoleAssignment

    roles = [r for r, actions in ROLE_ACTIONS.items() if Action.REVIEW in actions]
    # reviewers on every root of the tree (`is_bureau`'s whole tree); one root in practice
    roots = OrgUnit.objects.filter(parent__isnull=True).count()
    ids = (
        RoleAssignment.objects.filter(role__in=roles, org_unit__parent__isnull=True)
        .values("user_id")
        .annotate(n=Count("org_unit", distinct=True))
        .filter(n__gte=roots)
        .values("user_id")
    )
    return get_user_model().objects.filter(pk__in=ids, is_active=True)
