"""Helpers shared by the apps' spreadsheet importers."""

from decimal import Decimal

from django.db import connection

from ruraledu.accounts.choices import Action
from ruraledu.accounts.scoping import scope_paths

from .idnumbers import resident_id_problem, student_no_problem

TENTH = Decimal("0.1")


def db_date(value):
    return connection.ops.adapt_datefield_value(value)


def db_decimal(value, places: Decimal = TENTH):
    return None if value is None else value.quantize(places)


def id_problem(value: str, kind: str = "ric") -> str | None:
    return student_no_problem(value) if kind == "student_no" else resident_id_problem(value)


def can_view_personal(user) -> bool:
    """Roles that need clear ID numbers (the bureau, the school's own clerk)."""
    return user.is_superuser or bool(scope_paths(user, Action.VIEW_PERSONAL))


class DuplicateTracker:
    """Reports the second row carrying a key already seen."""

    def __init__(self):
        self.first_row: dict = {}

    def problem(self, key, row_number: int) -> str | None:
        first = self.first_row.setdefault(key, row_number)
        return None if first == row_number else f"与第 {first} 行重复"
