"""`access_log` writes plain rows (COPY on PostgreSQL) instead of model instances; the rows
must be what bulk_create of PersonalDataAccess instances stored."""

import pytest
from django.utils import timezone

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.audit.personal_access import access_log, student_subject
from ruraledu.core.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

SUBJECTS = [
    student_subject(7),
    student_subject(3),
    student_subject(7),  # the same child twice: logged once
    "care.dropoutcase:12",
    "export:students:2024:" + "某" * 40,  # cut to the field's 50 characters
]
FIELDS = ("subject", "purpose", "address")


def instances(user, subjects, purpose, address) -> None:
    """The way the log was written before: one model instance per distinct subject."""
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(user=user, subject=s[:50], purpose=purpose[:20], address=address)
        for s in dict.fromkeys(subjects)
    )


@pytest.mark.parametrize(
    "address", ["10.0.0.8", "2001:0DB8:0000:0000:0000:0000:0000:0001", "", None]
)
def test_the_rows_are_those_bulk_create_of_instances_stored(address):
    logger, yardstick = UserFactory(username="logger"), UserFactory(username="yardstick")
    before = timezone.now()
    count = access_log(
        user=logger, subjects=iter(SUBJECTS), purpose="export_for_a_long_purpose", address=address
    )
    after = timezone.now()
    instances(yardstick, SUBJECTS, "export_for_a_long_purpose", address)
    logged = PersonalDataAccess.objects.filter(user=logger).order_by("pk")
    expected = PersonalDataAccess.objects.filter(user=yardstick).order_by("pk")
    assert count == 4 == len(logged)
    assert list(logged.values_list(*FIELDS)) == list(expected.values_list(*FIELDS))
    assert logged[0].address == (None if not address else expected[0].address)
    # stamped with the time of the call, read back as the model's aware datetimes
    assert all(before <= entry.at <= after for entry in logged)


def test_nothing_to_log_writes_nothing():
    assert access_log(user=UserFactory(), subjects=[], purpose="export", address=None) == 0
    assert not PersonalDataAccess.objects.exists()


def test_a_large_log_is_written_whole_in_order():
    user = UserFactory()
    subjects = [student_subject(pk) for pk in range(1, 5001)]
    assert access_log(user=user, subjects=subjects, purpose="export", address="10.1.2.3") == 5000
    stored = list(PersonalDataAccess.objects.order_by("pk").values_list("subject", flat=True))
    assert stored == subjects
    assert set(PersonalDataAccess.objects.values_list("user", "purpose", "address")) == {
        (user.pk, "export", "10.1.2.3")
    }
    # the bureau's page reads them back newest first, like any entry
    assert PersonalDataAccess.objects.order_by("-at", "-pk").first().subject == subjects[-1]
