"""Who may do what in supervision, decided by `accounts.policy` at the school's place.

- recording visits, raising items, issuing notices, verifying: SUPERVISE covering the school
  (the school's 挂牌 inspector, whose role sits on the school, and the bureau);
- answering an item: CHANGE covering the school (its clerk; the town office and the bureau);
- recording 听课: OBSERVE covering the school (a researcher's linked schools, the bureau);
- checklists, kinds, zones and assignments: the bureau only;
- reading: VIEW covering the school (leaders read everything); out of reach is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, is_bureau


def _path(school) -> str:
    return school.org_unit.path


def may_supervise(user, school) -> bool:
    return Reach(user, Action.SUPERVISE).covers(_path(school))


def may_answer(user, school) -> bool:
    return Reach(user, Action.CHANGE).covers(_path(school))


def may_observe(user, school) -> bool:
    return Reach(user, Action.OBSERVE).covers(_path(school))


def may_view(user, school) -> bool:
    return Reach(user, Action.VIEW).covers(_path(school))


def may_configure(user) -> bool:
    return is_bureau(user)


def ensure_visible(user, school) -> None:
    """Out of reach is not found: the record's existence is not disclosed."""
    if not may_view(user, school):
        raise Http404("没有找到该记录。")


def require(allowed: bool, message: str = "您无权办理这一步。") -> None:
    if not allowed:
        raise PermissionDenied(message)
