"""Who sees and does what, decided by `accounts.policy` at the child's place (the school that
teaches the child, else the town of the list's village).

- names: a care role whose reach covers the place (the school's officer and clerk, the town
  office, the bureau); read-only roles (leader, inspector, researcher) see counts only;
- disability details (the list's 残疾类别和等级, a deferral's reason and evidence): personal-data
  rights at the place (the bureau, the child's own school), never the town office;
- placement decisions: a care role covering both the child's present place and the new one;
- 送教上门 visits: a care role covering the teaching school;
- the visit frequency: the bureau only.
"""

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach


class Access:
    """A user's reaches, resolved once for a page of rows."""

    def __init__(self, user):
        self.care = Reach(user, Action.CARE)
        self.personal = Reach(user, Action.VIEW_PERSONAL)

    def sees(self, path: str) -> bool:
        return self.care.covers(path)

    def clear_name(self, path: str) -> bool:
        # a child with no school is found by the town office: it needs the name
        return self.care.covers(path) or self.personal.covers(path)

    def details(self, path: str) -> bool:
        return self.personal.covers(path)
