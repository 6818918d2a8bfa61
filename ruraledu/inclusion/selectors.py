"""Reads for pages, always through the user's reach: counts per town for every role that sees
the town, names for the care roles over each child's place."""

import datetime as dt

from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.core.schoolyear import school_year_bounds
from ruraledu.orgunits.models import OrgUnit

from .choices import PlacementState
from .permissions import Access
from .reconcile import home_children, reconcile


def as_of(year: int) -> dt.date:
    """The day a year's figures describe: its last day, or today while it runs."""
    return min(timezone.localdate(), school_year_bounds(year)[1])


def child_rows(*, user, year: int, state: str = "", town_id: int | None = None) -> list:
    """The children of the year's 残联 list at places where the user works care, each with
    `clear` (name in full) and `details` (disability details) decided for this user."""
    access = Access(user)
    rows = []
    for row in reconcile(year):
        if not access.sees(row.unit_path):
            continue
        if state and row.state != state:
            continue
        if town_id and row.entry.town_id != town_id:
            continue
        row.clear = access.clear_name(row.unit_path)
        row.details = access.details(row.unit_path)
        rows.append(row)
    return rows


def child_row(*, user, year: int, entry_id: int):
    return next((r for r in child_rows(user=user, year=year) if r.entry.pk == entry_id), None)


def unplaced_by_town(*, user, year: int) -> list[tuple[str, list]]:
    """The unplaced school-age children the user may see, grouped by town."""
    groups: dict[str, list] = {}
    for row in child_rows(user=user, year=year, state=PlacementState.UNPLACED):
        groups.setdefault(row.entry.town.name, []).append(row)
    return list(groups.items())


def town_path(path: str) -> str:
    """The town's path of a school or campus path ("D/T/S/C/" -> "D/T/")."""
    return "/".join(path.split("/")[:2]) + "/"


def overview(*, user, year: int) -> dict:
    """Counts per town of the list (by placement state) and of 送教上门 (children, behind
    schedule), for every role that sees the place: no names."""
    view = Reach(user, Action.VIEW)
    towns: dict[str, dict] = {}

    def town(path: str) -> dict:
        return towns.setdefault(path, {"path": path, "home_children": 0, "behind": 0, **_zero()})

    for row in reconcile(year):
        if not view.covers(row.unit_path):
            continue
        counts = town(row.entry.town.path)
        counts["listed"] += row.state != PlacementState.OUT_OF_AGE
        counts[row.state] += 1
    for home in home_children(year, as_of(year)):
        if view.covers(home.unit_path):
            counts = town(town_path(home.unit_path))
            counts["home_children"] += 1
            counts["behind"] += home.behind
    names = dict(OrgUnit.objects.filter(path__in=list(towns)).values_list("path", "name"))
    ordered = sorted(towns.values(), key=lambda t: t["path"])
    for counts in ordered:
        counts["name"] = names.get(counts["path"], "")
    keys = ["listed", *PlacementState.values, "home_children", "behind"]
    totals = {key: sum(t[key] for t in ordered) for key in keys}
    return {"towns": ordered, "totals": totals}


def _zero() -> dict:
    return {"listed": 0, **{state: 0 for state in PlacementState.values}}


def home_rows(*, user, year: int, behind: bool = False) -> list:
    access = Access(user)
    rows = [h for h in home_children(year, as_of(year)) if access.sees(h.unit_path)]
    return [h for h in rows if h.behind] if behind else rows


def home_row(*, user, year: int, key: str):
    return next((h for h in home_rows(user=user, year=year) if h.key == key), None)
