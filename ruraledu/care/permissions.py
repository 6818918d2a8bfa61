"""Who may do what on a care case, decided by `accounts.policy` at the case's place.

- working a case (assign, plan, contact, outcome, ordinary closure): a care role whose reach
  covers the case's school (the school's officer and clerk, its town's office, the bureau);
- escalating to the town and on to the district: a care role covering the case's town;
- closing an escalated case: the bureau only;
- the written plan (劝返方案): only by one who sees the names (see `may_write_plan`);
- names in clear: a role with personal-data rights at the case's school, or the town office
  once the case is escalated to it (the notice names the child) or when the town holds it
  (a child never enrolled, whom the town must find);
- read-only roles (leader, inspector, researcher) hold no care right: counts only.
"""

from django.http import Http404

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, is_bureau

from .choices import ESCALATED_STATUSES


def may_work(user, case) -> bool:
    return Reach(user, Action.CARE).covers(case.unit.path)


def may_escalate(user, case) -> bool:
    return Reach(user, Action.CARE).covers(case.town.path)


def may_print_notice(user, case) -> bool:
    """The 限期返校通知书 names the child: the town's care roles and the bureau only, and only
    while they see the name (the town, while the case is escalated)."""
    return may_escalate(user, case) and clear_names(user, case)


def may_close_escalated(user) -> bool:
    return is_bureau(user)


def clear_names(user, case) -> bool:
    if Reach(user, Action.VIEW_PERSONAL).covers(case.unit.path):
        return True
    if case.school_id is None:
        # a child never enrolled: the town holds the case and must find the child, as on the
        # cross-check's list it was opened from (`finding_clear_names`)
        return may_work(user, case)
    return case.status in ESCALATED_STATUSES and may_escalate(user, case)


def may_write_plan(user, case) -> bool:
    """The 劝返方案 names the child, the parents, addresses: it is written by one who sees the
    name — a school's case by the school (the town once the case is escalated to it, the
    bureau); a case held by the town (a child never enrolled) by the town."""
    return clear_names(user, case)


def ensure_visible(user, case) -> None:
    """Out of reach is not found: the case's existence is not disclosed."""
    if not may_work(user, case) and not may_escalate(user, case):
        raise Http404("没有找到该个案。")


# 学困生成长档案: the same care reach as a case, at the school holding the file (a school's
# officer and clerk, its town's office, the bureau); names in clear with personal-data rights
# there. Read-only roles hold no care right: they see the indicator's counts only.


def growth_clear_names(user, file) -> bool:
    return Reach(user, Action.VIEW_PERSONAL).covers(file.unit.path)


def ensure_growth_visible(user, file) -> None:
    if not may_work(user, file):
        raise Http404("没有找到该成长档案。")
