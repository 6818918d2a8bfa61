"""Drill-down of the inclusion indicators: the children behind a figure, never with a name in
full. A care role over the child's place sees the masked name (张*明); other roles see a dash
(counts, not children). The rows are the ones the indicator counted."""

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.inclusion.choices import PlacementState
from ruraledu.inclusion.reconcile import home_children, reconcile

from .definitions.care import as_of
from .drilldown import SHORT_LABEL, Drill, mask_name


def _within(unit, user):
    """The user's view under `unit`: a row counts when its place is under both."""
    view = Reach(user, Action.VIEW)
    return lambda path: path.startswith(unit.path) and view.covers(path)


class UnplacedDrill:
    def parts(self, indicator) -> dict[str, str]:
        return {"numerator": indicator.numerator_label}

    def drill(self, indicator, part, unit, year, user) -> Drill:
        inside = _within(unit, user)
        care = Reach(user, Action.CARE)
        rows = [
            r
            for r in reconcile(year, within=unit.path)  # a town's drill reads its own list
            if r.state == PlacementState.UNPLACED and inside(r.entry.town.path)
        ]

        def render(row):
            who = mask_name(row.entry.name) if care.covers(row.unit_path) else "—"
            born = row.entry.birth_date
            return [who, row.entry.town.name, row.entry.village.name, born.year if born else ""]

        return Drill(["儿童", "镇街", "户籍村居", "出生年份"], rows, render)


class EnrolmentDrill:
    """The school-age children of the list (the denominator) or those in school (numerator),
    each with where the reconciliation placed them."""

    def parts(self, indicator) -> dict[str, str]:
        return {"numerator": indicator.numerator_label, "denominator": indicator.denominator_label}

    def drill(self, indicator, part, unit, year, user) -> Drill:
        from .definitions.inclusion import ENROLLED_STATES

        inside = _within(unit, user)
        care = Reach(user, Action.CARE)
        left_out = (PlacementState.OUT_OF_AGE, PlacementState.UNSUITABLE)
        rows = [
            r
            for r in reconcile(year, within=unit.path)  # a town's drill reads its own list
            if r.state not in left_out and inside(r.entry.town.path)
            if part == "denominator" or r.state in ENROLLED_STATES
        ]

        def render(row):
            who = mask_name(row.entry.name) if care.covers(row.unit_path) else "—"
            return [who, row.entry.town.name, row.entry.village.name, row.state_label]

        return Drill(["儿童", "镇街", "户籍村居", "安置情况"], rows, render)


class HomeVisitDrill:
    def parts(self, indicator) -> dict[str, str]:
        return {
            "numerator": indicator.numerator_label,
            "denominator": indicator.denominator_label,
            "short": SHORT_LABEL,
        }

    def drill(self, indicator, part, unit, year, user) -> Drill:
        inside = _within(unit, user)
        care = Reach(user, Action.CARE)
        day = as_of(year)
        rows = [r for r in home_children(year, day) if r.due and inside(r.unit_path)]
        if part == "numerator":
            rows = [r for r in rows if not r.behind]
        elif part == "short":
            rows = [r for r in rows if r.behind]

        def render(row):
            who = mask_name(row.name) if care.covers(row.unit_path) else "—"
            return [who, row.school_name, row.due, row.done, row.short]

        headers = ["儿童", "送教学校", "应送次数", "已送次数", "差"]
        return Drill(headers, rows, render, note=f"按 {day:%Y-%m-%d} 计")
