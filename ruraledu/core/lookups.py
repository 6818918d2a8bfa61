"""Whole numbers past 64 bits in a query. SQLite's driver refuses to bind one (OverflowError,
a server error) where PostgreSQL finds no row. Django already reads such a number as matching
nothing in an integer column's own =, <, >; these lookups do the same for a foreign key's =
(a school's primary key is its org unit's: a school chosen in a form is looked up so) and for
`in` on either, so that 20 digits sent for an id are as an id that does not exist."""

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In

STORABLE = range(-(2**63), 2**63)


def storable(value) -> bool:
    """Not a whole number, or one a 64-bit integer column can hold."""
    return not isinstance(value, int) or value in STORABLE


class StorableRelatedExact(RelatedExact):
    def process_rhs(self, compiler, connection):
        if not storable(self.rhs):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class StorableOnlyIn:
    """`in` without the numbers no row can hold (none left: an empty result, as for [])."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and not all(storable(value) for value in self.rhs):
            self.rhs = [value for value in self.rhs if storable(value)]
        return super().process_rhs(compiler, connection)


class StorableIntegerIn(StorableOnlyIn, In):
    pass


class StorableRelatedIn(StorableOnlyIn, RelatedIn):
    pass


def register() -> None:
    models.IntegerField.register_lookup(StorableIntegerIn)
    models.ForeignObject.register_lookup(StorableRelatedIn)
    models.ForeignObject.register_lookup(StorableRelatedExact)
