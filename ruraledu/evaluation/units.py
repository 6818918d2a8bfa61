"""Which units the national frameworks evaluate, and who reaches each: every district (县域 is
what 优质均衡 and 普及普惠 assess) on its own, whether the platform serves one district or a
city of them. A tree without district units evaluates its roots."""

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, bureau_units
from ruraledu.orgunits.districts import districts
from ruraledu.orgunits.models import OrgUnit

# The districts whose evaluation a user reads (or, with REVIEW, changes) are those their role
# covers whole: `ruraledu.orgunits.districts.districts_covered(user, action)`.


def may_view(user) -> bool:
    """`districts_covered(user)` is not empty, told from the user's roles alone (the menu asks
    on every page): a role over the whole tree, or one on a district or above."""
    return Reach(user, Action.VIEW).whole_tree or bool(bureau_units(user, Action.VIEW))


def may_change(user, unit: OrgUnit) -> bool:
    """The bureau of the district (its reviewers, or the city's above it) changes its evaluation."""
    return Reach(user, Action.REVIEW).covers(unit.path)


def evaluated_unit_of(path: str) -> OrgUnit | None:
    """The evaluated district a school (or any unit, by its path) belongs to."""
    return next((u for u in districts() if path.startswith(u.path)), None)
