"""The districts of the install and which of them a user reads or writes. Each district (县域)
is evaluated, planned and forecast on its own, whether the platform serves one district or a
city of them; a tree without district units has its roots in their place.

One place for the rule every app asks: `districts_covered` (the districts a role covers whole:
the district's bureau its own, the city's bureau each of its districts) and `districts_touched`
(also those a town or school role lies inside)."""

from django.db.models import Q
from django.http import Http404

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach

from .choices import OrgUnitKind
from .models import OrgUnit


def districts() -> list[OrgUnit]:
    """The install's active districts by path (one query), or its roots when it has none."""
    units = list(OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, is_active=True).order_by("path"))
    return units or list(OrgUnit.objects.filter(parent=None).order_by("path"))


def districts_covered(user, action: str = Action.VIEW, among=None) -> list[OrgUnit]:
    """The districts `user` may do `action` on whole: their role is on the district or above
    it (the district's bureau and read-only roles, the city's above them). `among` is the
    result of `districts()` where the caller has it already (no query then)."""
    reach = Reach(user, action)
    return [unit for unit in _among(among) if reach.covers(unit.path)]


def districts_touched(user, action: str = Action.VIEW, among=None) -> list[OrgUnit]:
    """The districts `user` may do `action` in at all: those covered whole, and those a role
    on a town or a school (any unit inside) reaches into. `among` as for `districts_covered`."""
    reach = Reach(user, action)
    return [
        unit
        for unit in _among(among)
        if reach.everywhere
        or any(p.startswith(unit.path) or unit.path.startswith(p) for p in reach.paths)
    ]


def within(units, field: str) -> Q:
    """Rows whose org-unit path `field` lies in one of the `units` (none: no rows)."""
    reach = Q(pk__in=[])
    for unit in units:
        reach |= Q(**{f"{field}__startswith": unit.path})
    return reach


def _among(among) -> list[OrgUnit]:
    return districts() if among is None else among


def district_pick(units: list[OrgUnit], code: str | None) -> OrgUnit:
    """The district named by `code` (a page's ?unit=) among `units`; none named, the first.
    One not among them (another district's) is a 404, as is a user with none: a page never
    falls back to a district other than the one asked for."""
    unit = next((u for u in units if u.code == code), None) if code else next(iter(units), None)
    if unit is None:
        raise Http404("没有找到该页面。")
    return unit
