"""Which units the national frameworks evaluate, and who reaches each: every district (县域 is
what 优质均衡 and 普及普惠 assess) on its own, whether the platform serves one district or a
city of them. A tree without district units evaluates its roots."""

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, bureau_units
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import OrgUnit


def evaluated_units() -> list[OrgUnit]:
    districts = OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, is_active=True)
    units = list(districts.order_by("path"))
    return units or list(OrgUnit.objects.filter(parent=None).order_by("path"))


def evaluation_units(user, action: str = Action.VIEW) -> list[OrgUnit]:
    """The districts whose evaluation `user` may read (or, with REVIEW, change): those their
    role covers whole — the district's bureau and read-only roles, the city's above them."""
    reach = Reach(user, action)
    return [unit for unit in evaluated_units() if reach.covers(unit.path)]


def may_view(user) -> bool:
    """`evaluation_units(user)` is not empty, told from the user's roles alone (the menu asks
    on every page): a role over the whole tree, or one on a district or above."""
    return Reach(user, Action.VIEW).whole_tree or bool(bureau_units(user, Action.VIEW))


def may_change(user, unit: OrgUnit) -> bool:
    """The bureau of the district (its reviewers, or the city's above it) changes its evaluation."""
    return Reach(user, Action.REVIEW).covers(unit.path)


def evaluated_unit_of(path: str) -> OrgUnit | None:
    """The evaluated district a school (or any unit, by its path) belongs to."""
    return next((u for u in evaluated_units() if path.startswith(u.path)), None)
