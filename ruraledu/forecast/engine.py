"""The forecast itself, on plain dicts so that it can be checked by hand.

Cohort progression: pupils in grade g of a school next year = this year's grade g-1 there ×
the school's pooled ratio over the history (Σ grade g / Σ grade g-1 a year earlier). A
school's first grade above 1 (grade 7 of a junior school) is fed by the grade below in the
whole town. Grade 1 comes from births by village six years earlier × the share of each
village's births that entered each school in the history; pupils without a village (or
whose village has no births on file) are carried as the recent mean.

Intervals (90 %): each link's yearly ratios scatter around the pooled one; their relative
spread adds up along a cohort's path (as variances), plus a Poisson term for small counts.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

Z90 = 1.645
ENTRY_AGE = 6  # grade 1 in school year Y: born in calendar year Y - 6


@dataclass(frozen=True)
class SchoolInfo:
    grades: tuple[int, ...]
    town: int


@dataclass
class History:
    """Rosters and births, keyed as read from the database."""

    rolls: dict[tuple[int, int, int], int]  # (year, school, grade) -> pupils
    entrants: dict[tuple[int, int, int | None], int]  # (year, school, village) -> grade 1
    births: dict[tuple[int, int], int]  # (village, birth year) -> births
    schools: dict[int, SchoolInfo]


@dataclass
class Cell:
    expected: float
    rel2: float = 0.0  # squared relative spread carried along the cohort

    @property
    def sd(self) -> float:
        return math.sqrt(self.expected**2 * self.rel2 + max(self.expected, 0.0))

    @property
    def low(self) -> float:
        return max(0.0, self.expected - Z90 * self.sd)

    @property
    def high(self) -> float:
        return self.expected + Z90 * self.sd


@dataclass
class Forecast:
    base_year: int
    cells: dict[tuple[int, int, int], Cell] = field(default_factory=dict)  # (year, school, grade)

    def total(self, year: int, school: int) -> float:
        return sum(c.expected for (y, s, _), c in self.cells.items() if y == year and s == school)


def _pooled(pairs: list[tuple[float, float]]) -> tuple[float | None, float]:
    """Pooled ratio Σnum/Σden and the squared relative spread of the yearly ratios."""
    num = sum(n for n, d in pairs if d > 0)
    den = sum(d for n, d in pairs if d > 0)
    if den <= 0:
        return None, 0.0
    ratio = num / den
    yearly = [n / d / ratio for n, d in pairs if d > 0] if ratio > 0 else []
    if len(yearly) < 2:
        return ratio, 0.0
    mean = sum(yearly) / len(yearly)
    return ratio, sum((r - mean) ** 2 for r in yearly) / (len(yearly) - 1)


class Model:
    """Ratios fitted on the history up to `base_year`."""

    def __init__(self, history: History, base_year: int):
        self.h = history
        self.base_year = base_year
        self.years = sorted({y for y, _, _ in history.rolls if y <= base_year})
        self.town_of = {s: info.town for s, info in history.schools.items()}
        self.town_rolls: dict[tuple[int, int, int], float] = defaultdict(float)
        for (y, s, g), n in history.rolls.items():
            if s in self.town_of:
                self.town_rolls[(y, self.town_of[s], g)] += n
        self.links: dict[tuple[int, int], tuple[float, float]] = {}
        for s, info in history.schools.items():
            for g in info.grades:
                if g == 1:
                    continue
                self.links[(s, g)] = self._link(s, g, first=g == info.grades[0])
        self._fit_entry()

    def _link(self, s: int, g: int, *, first: bool) -> tuple[float, float]:
        rolls = self.h.rolls
        pairs = []
        for y in self.years:
            if y - 1 not in self.years:
                continue
            if first:  # fed by the town's grade below
                feeder = self.town_rolls.get((y - 1, self.town_of[s], g - 1), 0)
            else:
                feeder = rolls.get((y - 1, s, g - 1), 0)
            pairs.append((rolls.get((y, s, g), 0), feeder))
        ratio, rel2 = _pooled(pairs)
        return (1.0 if ratio is None else ratio), rel2

    def _fit_entry(self) -> None:
        """Village shares per school, the carried remainder, and their spread."""
        births = self.h.births
        taken: dict[tuple[int, int], int] = defaultdict(int)  # (school, village) -> entrants
        born: dict[tuple[int, int], int] = defaultdict(int)  # (school, village) -> births
        rest: dict[tuple[int, int], int] = defaultdict(int)  # (school, year) -> other entrants
        for (y, s, v), n in self.h.entrants.items():
            if y > self.base_year:
                continue
            if v is not None and (v, y - ENTRY_AGE) in births:
                taken[(s, v)] += n
            else:
                rest[(s, y)] += n
        by_village: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (v, y), n in births.items():
            by_village[v].append((y, n))
        self.recent_births = {
            v: sum(n for _, n in sorted(rows)[-3:]) / len(sorted(rows)[-3:])
            for v, rows in by_village.items()
        }
        villages_of: dict[int, set[int]] = defaultdict(set)
        for s, v in taken:
            villages_of[s].add(v)
        for s, v in list(taken):
            for y in self.years:
                if (v, y - ENTRY_AGE) in births:
                    born[(s, v)] += births[(v, y - ENTRY_AGE)]
        self.shares = {key: taken[key] / born[key] for key in taken if born[key] > 0}
        self.villages_of = villages_of
        recent = self.years[-3:]
        self.rest = {
            s: sum(rest.get((s, y), 0) for y in recent) / len(recent) if recent else 0.0
            for s in self.h.schools
        }
        # spread: actual grade 1 against the fitted one, year by year
        self.entry_rel2 = {}
        for s, info in self.h.schools.items():
            if 1 not in info.grades:
                continue
            pairs = [(self.h.rolls.get((y, s, 1), 0), self.entry(s, y)) for y in self.years]
            self.entry_rel2[s] = _pooled(pairs)[1]

    def entry(self, s: int, year: int) -> float:
        """Grade 1 pupils expected at school `s` in `year`."""
        births = self.h.births
        total = self.rest.get(s, 0.0)
        for v in self.villages_of.get(s, ()):
            share = self.shares.get((s, v), 0.0)
            b = births.get((v, year - ENTRY_AGE))
            if b is None:  # no births on file for that year: the village's recent mean
                b = self.recent_births.get(v, 0.0)
            total += share * b
        return total


def forecast(history: History, base_year: int, horizon: int = 5) -> Forecast:
    """Per school and grade, `horizon` years after `base_year`, from data up to `base_year`."""
    model = Model(history, base_year)
    result = Forecast(base_year)
    current: dict[tuple[int, int], Cell] = {
        (s, g): Cell(float(history.rolls.get((base_year, s, g), 0)))
        for s, info in history.schools.items()
        for g in info.grades
    }
    for year in range(base_year + 1, base_year + horizon + 1):
        town_cells: dict[tuple[int, int], list[Cell]] = defaultdict(list)
        for (s, g), cell in current.items():
            town_cells[(model.town_of[s], g)].append(cell)
        nxt: dict[tuple[int, int], Cell] = {}
        for s, info in history.schools.items():
            for g in info.grades:
                if g == 1:
                    nxt[(s, g)] = Cell(model.entry(s, year), model.entry_rel2.get(s, 0.0))
                    continue
                ratio, rel2 = model.links[(s, g)]
                if g == info.grades[0]:
                    feeder = _sum(town_cells.get((info.town, g - 1), []))
                else:
                    feeder = current[(s, g - 1)]
                nxt[(s, g)] = Cell(feeder.expected * ratio, feeder.rel2 + rel2)
        for (s, g), cell in nxt.items():
            result.cells[(year, s, g)] = cell
        current = nxt
    return result


def _sum(cells: list[Cell]) -> Cell:
    total = sum(c.expected for c in cells)
    if total <= 0:
        return Cell(0.0)
    return Cell(total, sum(c.expected**2 * c.rel2 for c in cells) / total**2)


@dataclass(frozen=True)
class BacktestResult:
    year: int
    per_school: dict[int, tuple[int, float, int]]  # school -> (actual, forecast, naive)

    @staticmethod
    def _mape(pairs) -> float | None:
        errors = [abs(f - a) / a for a, f in pairs if a > 0]
        return sum(errors) / len(errors) if errors else None

    @property
    def model_mape(self) -> float | None:
        return self._mape((a, f) for a, f, _ in self.per_school.values())

    @property
    def naive_mape(self) -> float | None:
        return self._mape((a, n) for a, _, n in self.per_school.values())


def backtest(history: History, year: int) -> BacktestResult | None:
    """Forecast `year` from the years before it; compare per school with what happened and
    with the naive forecast (the same as the year before)."""
    years = {y for y, _, _ in history.rolls}
    if year not in years or year - 1 not in years:
        return None
    predicted = forecast(history, year - 1, horizon=1)
    actual: dict[int, int] = defaultdict(int)
    before: dict[int, int] = defaultdict(int)
    for (y, s, g), n in history.rolls.items():
        if s in history.schools and g in history.schools[s].grades:
            if y == year:
                actual[s] += n
            elif y == year - 1:
                before[s] += n
    rows = {
        s: (actual[s], predicted.total(year, s), before[s])
        for s in history.schools
        if actual[s] or before[s]
    }
    return BacktestResult(year, rows)
