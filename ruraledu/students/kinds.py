"""The students app's yearly data kinds (see `core.kinds`)."""

from django.db import connection
from django.db.models import Q

from ruraledu.core.kinds import Tab, YearlyKind, declare, sql_false
from ruraledu.orgunits.choices import GRADE_RANGES
from ruraledu.orgunits.models import School

from .models import Enrolment


def _stays() -> str:
    """A pupil in their school's last grade has left it: not carried into the new year."""
    last_grade = " ".join(
        f"WHEN '{stage}' THEN {grades.stop - 1}" for stage, grades in GRADE_RANGES.items() if grades
    )
    school_table = connection.ops.quote_name(School._meta.db_table)
    return (
        f"o.grade < (SELECT CASE s.stage {last_grade} ELSE 0 END FROM {school_table} s "
        f"WHERE s.org_unit_id = o.school_id)"
    )


ENROLMENTS = declare(
    YearlyKind(
        "students.enrolments",
        Enrolment,
        ("person",),
        rolls_forward=True,
        # a pupil moves up a grade; 资助 is granted again each year
        transform=lambda: {"grade": "o.grade + 1", "aid_received": sql_false()},
        where=_stays,
        importer="students",
        tab=Tab("students", "学生", "students:enrolment_list", order=30),
        wipe=lambda units: Enrolment.objects.filter(Q(school__in=units) | Q(campus__in=units)),
        marks_year=True,
    )
)
