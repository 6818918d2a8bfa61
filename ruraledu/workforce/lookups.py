"""Resolving staff ID numbers typed in spreadsheets to people."""

from ruraledu.core import crypto
from ruraledu.core.importing import id_problem, pks_by_id_number

from .models import StaffPerson


class StaffLookup:
    """Finds people by ID number; loads the rows' people in one pass."""

    def __init__(self, numbers):
        self.pk_by_number = pks_by_id_number(StaffPerson, numbers)

    def resolve(self, number: str | None, bad, column: str) -> int | None:
        if not number:
            return None
        number = crypto.normalise_id(number)
        if problem := id_problem(number):
            bad(column, problem)
            return None
        if number not in self.pk_by_number:
            bad(column, "该人员不在教职工名册中，请先导入教职工名册")
            return None
        return self.pk_by_number[number]
