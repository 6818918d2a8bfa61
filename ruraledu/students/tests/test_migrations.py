"""Data migrations that rewrite stored personal data keep every person findable."""

import hmac

import pytest

from ruraledu.core import crypto
from ruraledu.core.tests.migrating import migrate
from ruraledu.students.models import StudentPerson
from ruraledu.workforce.models import StaffPerson

BEFORE = [("students", "0002_initial"), ("workforce", "0002_person_year_index")]


@pytest.mark.django_db(transaction=True)
def test_the_128_bit_blind_index_migration_keeps_people_findable():
    # given people stored with the former index: the full 256-bit HMAC in hex
    old = migrate(BEFORE)
    _, key = crypto._keys()
    pupil, teacher = "370302201301010011", "37030219800101002X"

    def stored(number):
        return {
            "id_cipher": crypto.encrypt(number),
            "id_index": hmac.digest(key, number.encode(), "sha256").hex(),
            "id_hint": crypto.hint(number),
            "sex": "1",
        }

    old.get_model("students", "StudentPerson").objects.create(name="示例学生", **stored(pupil))
    old.get_model("workforce", "StaffPerson").objects.create(name="示例教师", **stored(teacher))
    # when the migrations run
    migrate()
    # then today's code finds both by their ID numbers, and nothing else changed
    student = StudentPerson.objects.get(id_index=crypto.blind_index(pupil))
    staff = StaffPerson.objects.get(id_index=crypto.blind_index(teacher))
    assert (student.name, student.id_number()) == ("示例学生", pupil)
    assert (staff.name, staff.id_number()) == ("示例教师", teacher)
    assert len(student.id_index) == len(staff.id_index) == 32
