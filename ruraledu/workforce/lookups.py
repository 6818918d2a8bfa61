"""Resolving staff ID numbers typed in spreadsheets to people, within the uploader's scope."""

from ruraledu.core import crypto
from ruraledu.spreadsheets.importing import id_problem, pks_by_id_number, places_of

from .models import Post, StaffPerson


def staff_in_reach(numbers, reach, year: int) -> dict[str, int]:
    """ID number -> pk of the staff among `numbers` posted in `year` at a school in `reach`."""
    found = pks_by_id_number(StaffPerson, numbers)
    if reach.whole_tree:
        return found
    places = places_of(Post, found.values(), year)
    return {n: pk for n, pk in found.items() if any(map(reach.covers, places.get(pk, ())))}


class StaffLookup:
    """Finds people by ID number; loads the rows' people in one pass.

    Given the uploader's `reach` and the school year, only staff posted that year at a school
    in reach are found, and the message for anyone else is the same whether the number is
    on file or not (an import must not tell who is on the district's rosters).
    """

    def __init__(self, numbers, *, reach=None, year: int | None = None):
        self.limited = reach is not None and not reach.whole_tree
        if reach is None:
            self.pk_by_number = pks_by_id_number(StaffPerson, numbers)
        else:
            self.pk_by_number = staff_in_reach(numbers, reach, year)

    def resolve(self, number: str | None, bad, column: str) -> int | None:
        if not number:
            return None
        number = crypto.normalise_id(number)
        if problem := id_problem(number):
            bad(column, problem)
            return None
        if number not in self.pk_by_number:
            if self.limited:
                bad(column, "该人员不在您管辖范围内本学年的教职工名册中")
            else:
                bad(column, "该人员不在教职工名册中，请先导入教职工名册")
            return None
        return self.pk_by_number[number]
