"""A school's first 办学条件 of a year saved twice at the same moment (a double tap, two
clerks): the first is stored; the second, which found no record either, is told so in words
on the form instead of a server error, and nothing is stored or audited twice."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import race
from ruraledu.audit.models import AuditEvent
from ruraledu.facilities import services
from ruraledu.facilities.models import TAKEN, FacilityRecord

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two open transactions (SQLite writes one by one)",
)


@pytest.mark.django_db(transaction=True)
def test_two_first_saves_at_once_store_one_and_tell_the_second(school_a, school_clerk, monkeypatch):
    url = reverse("facilities:facility_edit", args=["SA"]) + "?year=2024"
    numbers = {
        f.name: 0
        for f in FacilityRecord._meta.fields
        if f.get_internal_type() in ("DecimalField", "PositiveIntegerField")
    }

    def save(classrooms):
        client = Client()
        client.force_login(school_clerk)
        return client.post(url, {**numbers, "classrooms": classrooms, "meal_service": "none"})

    # the first's row stored, its transaction open, while the second saves
    answers = race(
        monkeypatch, services, "audit_record", first=lambda: save(10), second=lambda: save(12)
    )
    assert answers["first"].status_code == 302
    assert answers["second"].status_code == 200
    assert TAKEN in answers["second"].content.decode()
    (stored,) = FacilityRecord.objects.filter(school=school_a, year=2024)
    assert stored.classrooms == 10
    kind = ContentType.objects.get_for_model(FacilityRecord)
    assert AuditEvent.objects.for_record(content_type=kind, object_id=stored.pk).count() == 1
