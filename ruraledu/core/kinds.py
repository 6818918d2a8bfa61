"""Yearly data kinds: what the registry keeps per school year, each declared once by its app.

An app that keeps records per school year declares each kind in its `kinds.py` with `declare`
(found at start-up, as each app's `imports.py` registers its importers). The school-year
roll-forward, the demo wipe, the years holding data, the registry page tabs and the indicator
sources iterate over the declarations; this module knows no kind by name.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, models


@dataclass(frozen=True)
class Tab:
    """A tab of a school's registry pages: `url_name` takes the school's code."""

    key: str
    label: str
    url_name: str
    order: int = 0


@dataclass(frozen=True)
class YearlyKind:
    """A kind of record kept per school year, with its natural key (without the year).

    `transform` maps a column to an SQL expression over the old row "o" and `where` is an extra
    SQL condition on "o", both used when a new year is started from the last; callables are
    called then (they may depend on the database vendor or on other tables). `place` is the
    lookup to the org unit a record belongs to, so the demo can remove its generated records;
    `wipe` replaces it when a record belongs to more than one place."""

    key: str
    model: type[models.Model]
    natural_key: tuple[str, ...]
    label: str = ""  # Chinese; the model's verbose name when blank
    rolls_forward: bool = False
    transform: dict[str, str] | Callable[[], dict[str, str]] | None = None
    where: str | Callable[[], str] = ""
    importer: str = ""  # the spreadsheets importer (and export columns) of the kind
    tab: Tab | None = None
    place: str = "school"
    wipe: Callable[[object], models.QuerySet] | None = None  # records of these unit pks
    marks_year: bool = False  # a year holding such records is a year with data

    @property
    def name(self) -> str:
        return self.label or str(self.model._meta.verbose_name)

    def roll_transform(self) -> dict[str, str]:
        transform = self.transform() if callable(self.transform) else self.transform
        return transform or {}

    def roll_where(self) -> str:
        return self.where() if callable(self.where) else self.where

    def records_at(self, units) -> models.QuerySet:
        """Records belonging to the org units `units` (pks, or a queryset of pks)."""
        if self.wipe is not None:
            return self.wipe(units)
        return self.model._default_manager.filter(**{f"{self.place}__in": units})


_KINDS: dict[str, YearlyKind] = {}


def declare(kind: YearlyKind) -> YearlyKind:
    """Declare a kind (once; declaring the same key again replaces it)."""
    _KINDS[kind.key] = kind
    return kind


def withdraw(key: str) -> None:
    """Forget a declared kind (for tests that declare a throwaway one)."""
    _KINDS.pop(key, None)


def yearly_kinds() -> list[YearlyKind]:
    """Every declared kind, in declaration order (the apps' order in the settings)."""
    return list(_KINDS.values())


def get_kind(key: str) -> YearlyKind:
    return _KINDS[key]


def registry_tabs() -> list[tuple[YearlyKind, Tab]]:
    """The kinds shown as tabs on a school's registry pages, in tab order."""
    shown = [(kind, kind.tab) for kind in _KINDS.values() if kind.tab is not None]
    return sorted(shown, key=lambda pair: pair[1].order)


def sql_false() -> str:
    """A false literal for a transform, on the database in use."""
    return "FALSE" if connection.vendor == "postgresql" else "0"
