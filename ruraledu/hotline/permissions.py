"""Who may do what with the hotline, decided by `accounts.policy`.

- 督导室 (sees the caller): a reviewer role held on the district root, i.e. the bureau's own
  staff. A superuser without such a role is a technician and does not see callers; leaders
  read complaints without them.
- logging, assigning, returning and closing: the bureau (`is_bureau`);
- answering: CHANGE covering the assigned school or town, or a reporter of the assigned
  department (and the bureau);
- reading: `Complaint.objects.for_user`; out of reach is a 404.
"""

from django.core.exceptions import PermissionDenied

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, is_bureau, is_root_path
from ruraledu.accounts.scoping import scope_paths, tree_root_count, user_departments

HIDDEN = "来电人信息仅督导室可见"


def sees_caller(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    # a reviewer role on the root, covering the whole tree (a superuser's reach does not count)
    roots = sum(map(is_root_path, scope_paths(user, Action.REVIEW)))
    return bool(roots) and roots >= tree_root_count(user)


def may_manage(user) -> bool:
    return is_bureau(user)


def may_answer(user, complaint) -> bool:
    if complaint.assigned_unit_id:
        return Reach(user, Action.CHANGE).covers(complaint.assigned_unit.path)
    if complaint.assigned_department_id:
        return is_bureau(user) or complaint.assigned_department_id in {
            d.pk for d in user_departments(user)
        }
    return False


def require(allowed: bool, message: str = "您无权办理这一步。") -> None:
    if not allowed:
        raise PermissionDenied(message)
