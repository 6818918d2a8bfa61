"""Starting a school year: copy last year's yearly records into the new year in bulk.

One INSERT … SELECT per table; rows whose natural key already exists in the new year are left
alone, so the step is safe to repeat and never touches a past year.
"""

from dataclasses import dataclass

from django.db import connection, transaction

from .models import SchoolYear, SchoolYearState


@dataclass(frozen=True)
class RollStep:
    model: object
    key_fields: tuple[str, ...]  # natural key without the year
    transform: dict[str, str] | None = None  # column -> SQL expression over the old row "o"
    where: str = ""  # extra SQL condition on "o"


def _copy(step: RollStep, from_year: int, to_year: int) -> int:
    meta = step.model._meta
    q = connection.ops.quote_name
    columns = [f.column for f in meta.concrete_fields if not f.primary_key and f.column != "year"]
    transform = step.transform or {}
    select = ", ".join(transform.get(c, f"o.{q(c)}") for c in columns)
    keys = " AND ".join(
        f"n.{q(meta.get_field(k).column)} = o.{q(meta.get_field(k).column)}"
        for k in step.key_fields
    )
    sql = (
        f"INSERT INTO {q(meta.db_table)} ({', '.join(q(c) for c in columns)}, {q('year')}) "
        f"SELECT {select}, %s FROM {q(meta.db_table)} o WHERE o.{q('year')} = %s "
        f"{'AND ' + step.where if step.where else ''} "
        f"AND NOT EXISTS (SELECT 1 FROM {q(meta.db_table)} n WHERE n.{q('year')} = %s AND {keys})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [to_year, from_year, to_year])
        return cursor.rowcount


def roll_steps() -> list[RollStep]:
    from ruraledu.activities.models import DistrictRoleAssignment, FeatureCourse, SchoolLink
    from ruraledu.facilities.models import FacilityRecord, KindergartenClass, VillageRecord
    from ruraledu.orgunits.choices import GRADE_RANGES
    from ruraledu.orgunits.models import School
    from ruraledu.students.models import Enrolment
    from ruraledu.workforce.models import Post

    # A student moves up a grade; those in their school's last grade have left it.
    last_grade = " ".join(
        f"WHEN '{stage}' THEN {grades.stop - 1}" for stage, grades in GRADE_RANGES.items() if grades
    )
    school_table = connection.ops.quote_name(School._meta.db_table)
    stays = (
        f"o.grade < (SELECT CASE s.stage {last_grade} ELSE 0 END FROM {school_table} s "
        f"WHERE s.org_unit_id = o.school_id)"
    )
    return [
        RollStep(FacilityRecord, ("school",)),
        RollStep(KindergartenClass, ("school", "level")),
        RollStep(VillageRecord, ("village",)),
        RollStep(
            Post,
            ("person", "school"),
            {"health_check": _false(), "town_allowance_received": _false()},
        ),
        RollStep(Enrolment, ("person",), {"grade": "o.grade + 1", "aid_received": _false()}, stays),
        RollStep(SchoolLink, ("person", "school")),
        RollStep(DistrictRoleAssignment, ("school_district", "person", "role")),
        RollStep(FeatureCourse, ("school", "name"), {"promoted": _false()}),
    ]


def _false() -> str:
    return "FALSE" if connection.vendor == "postgresql" else "0"


@transaction.atomic
def school_year_start(*, year: int, actor=None) -> dict[str, int]:
    """Open `year` from `year - 1`: copy yearly records; yearly checks (体检, 补贴, 资助) restart."""
    previous = year - 1
    copied = {
        str(step.model._meta.verbose_name): _copy(step, previous, year) for step in roll_steps()
    }
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
    return copied
