"""Who is "the bureau": the reviewers of the whole district (superusers and district admins
assigned on the root of the tree). The audit trail and the review queue are theirs."""

from ruraledu.accounts.choices import Action
from ruraledu.accounts.scoping import scope_paths


def is_root_path(path: str) -> bool:
    return path.count("/") == 1


def is_bureau(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(is_root_path(p) for p in scope_paths(user, Action.REVIEW))
