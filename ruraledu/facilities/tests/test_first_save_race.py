"""A school's first 办学条件 of a year saved twice at the same moment (a double tap, two
clerks): the first is stored; the second, which found no record either, is told so in words
on the form instead of a server error, and nothing is stored or audited twice."""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse

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
    paused, go = threading.Event(), threading.Event()
    record = services.audit_record

    def audit_record(**kwargs):
        if threading.current_thread().name == "first":  # its row stored, not yet committed
            paused.set()
            go.wait(10)
        return record(**kwargs)

    monkeypatch.setattr(services, "audit_record", audit_record)
    answers = {}

    def save(classrooms):
        client = Client()
        client.force_login(school_clerk)
        try:
            answers[threading.current_thread().name] = client.post(
                url, {**numbers, "classrooms": classrooms, "meal_service": "none"}
            )
        finally:
            connection.close()

    first = threading.Thread(target=save, args=(10,), name="first")
    second = threading.Thread(target=save, args=(12,), name="second")
    first.start()
    assert paused.wait(10)
    second.start()
    second.join(1)  # it waits on the first's row in the unique index
    go.set()
    first.join(10)
    second.join(10)
    assert answers["first"].status_code == 302
    assert answers["second"].status_code == 200
    assert TAKEN in answers["second"].content.decode()
    (stored,) = FacilityRecord.objects.filter(school=school_a, year=2024)
    assert stored.classrooms == 10
    kind = ContentType.objects.get_for_model(FacilityRecord)
    assert AuditEvent.objects.for_record(content_type=kind, object_id=stored.pk).count() == 1
