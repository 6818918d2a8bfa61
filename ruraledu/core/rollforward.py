"""Starting a school year: copy last year's yearly records into the new year in bulk.

The kinds copied, and how, are the declared yearly kinds (`kinds.py`). One INSERT … SELECT per
table; rows whose natural key already exists in the new year are left alone, so the step is safe
to repeat and never touches a past year.
"""

from django.db import connection, transaction

from .kinds import YearlyKind, yearly_kinds
from .models import SchoolYear, SchoolYearState
from .signals import school_year_started


def _copy(kind: YearlyKind, from_year: int, to_year: int) -> int:
    meta = kind.model._meta
    q = connection.ops.quote_name
    columns = [f.column for f in meta.concrete_fields if not f.primary_key and f.column != "year"]
    transform = kind.roll_transform()
    where = kind.roll_where()
    select = ", ".join(transform.get(c, f"o.{q(c)}") for c in columns)
    keys = " AND ".join(
        f"n.{q(meta.get_field(k).column)} = o.{q(meta.get_field(k).column)}"
        for k in kind.natural_key
    )
    sql = (
        f"INSERT INTO {q(meta.db_table)} ({', '.join(q(c) for c in columns)}, {q('year')}) "
        f"SELECT {select}, %s FROM {q(meta.db_table)} o WHERE o.{q('year')} = %s "
        f"{'AND ' + where if where else ''} "
        f"AND NOT EXISTS (SELECT 1 FROM {q(meta.db_table)} n WHERE n.{q('year')} = %s AND {keys})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [to_year, from_year, to_year])
        return cursor.rowcount


def rolled_kinds() -> list[YearlyKind]:
    """The declared kinds a new school year copies from the last."""
    return [kind for kind in yearly_kinds() if kind.rolls_forward]


def roll_preview(year: int) -> list[tuple[str, int]]:
    """(kind, records of `year - 1`) that starting `year` would copy forward."""
    return [
        (kind.name, kind.model._default_manager.filter(year=year - 1).count())
        for kind in rolled_kinds()
    ]


@transaction.atomic
def school_year_start(*, year: int, actor=None) -> dict[str, int]:
    """Open `year` from `year - 1`: copy yearly records; yearly checks (体检, 补贴, 资助) restart."""
    previous = year - 1
    copied = {kind.name: _copy(kind, previous, year) for kind in rolled_kinds()}
    # a new year is collected until the bureau confirms it; repeating the step keeps the state
    SchoolYear.objects.update_or_create(
        year=year,
        defaults={"rolled_from": previous, "started_by": actor},
        create_defaults={
            "rolled_from": previous,
            "started_by": actor,
            "state": SchoolYearState.COLLECTING,
        },
    )
    SchoolYear.objects.exclude(year=year).update(is_current=False)
    SchoolYear.objects.filter(year=year).update(is_current=True)
    school_year_started.send(sender=SchoolYear, year=year, actor=actor)
    return copied
