"""The roster's 就近划片入学 and 随迁子女 columns are stored and updated like every flag."""

from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import rows
from ruraledu.students.models import Enrolment

from .test_imports import YEAR, run, student


def test_nearby_admission_and_migrant_flags_are_stored_and_updated(district_admin, school_a):
    importer = get_importer("students")
    pupil = student(grade=1, nearby_admission=True, migrant=True)
    run(importer, rows(pupil), district_admin)
    stored = Enrolment.objects.get(year=YEAR)
    assert (stored.nearby_admission, stored.migrant) == (True, True)
    result = run(importer, rows({**pupil, "migrant": False}), district_admin)
    assert result.updated == 1
    stored.refresh_from_db()
    assert (stored.nearby_admission, stored.migrant) == (True, False)
