"""Helpers for tests of importers: rows as the spreadsheet reader produces them."""

import datetime as dt
import itertools

from ruraledu.core.idnumbers import make_resident_id
from ruraledu.spreadsheets.base import Row

_sequence = itertools.count(1)


def new_id(birth: dt.date = dt.date(2015, 6, 1)) -> str:
    return make_resident_id("370302", birth, next(_sequence))


class _Values(dict):
    """The reader gives every column of the spec, blank ones as None; so do these rows."""

    def __missing__(self, key):
        return None


def rows(*dicts: dict, first: int = 3) -> list[Row]:
    """Rows numbered as in a template (data from row 3), raw text from the values."""
    return [
        Row(
            number=first + i,
            values=_Values(d),
            raw={k: "" if v is None else str(v) for k, v in d.items()},
        )
        for i, d in enumerate(dicts)
    ]
