"""Who sees what of a child on the care list, decided by `accounts.policy` at the child's school.

- names (and the contact log): a care role covering the school (the school's care officer
  and clerk, its town's office, the bureau); read-only roles (leader, inspector, researcher)
  hold no care right and see counts only;
- the hardship categories (孤儿, 事实无人抚养, 困境): personal-data rights at the school (the
  school's officer and clerk, the bureau's care staff), not the town office.
"""

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach


def may_work(user, path: str) -> bool:
    return Reach(user, Action.CARE).covers(path)


def sees_hardship(user, path: str) -> bool:
    return Reach(user, Action.VIEW_PERSONAL).covers(path)
