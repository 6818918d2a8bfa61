"""Two notices issued at the same moment on PostgreSQL get two different numbers."""

import threading

import pytest
from django.db import connection, connections

from .. import services
from ..models import RectificationNotice
from .conftest import items_of, signed_visit_with_findings
from .test_rectification import ISSUED

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_notices_issued_at_the_same_moment_get_different_numbers(inspector, school_a, kind):
    # given two signed-off visits with an open item each
    batches = []
    for _ in range(2):
        _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
        batches.append(items_of(findings, inspector))
    start = threading.Barrier(2)
    errors = []

    def issue(items):
        try:
            start.wait()
            services.notice_issue(actor=inspector, items=items, issued_on=ISSUED)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    # when both issue at once
    threads = [threading.Thread(target=issue, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then
    assert errors == []
    labels = sorted(RectificationNotice.objects.values_list("label", flat=True))
    assert labels == ["川教督整〔2025〕1号", "川教督整〔2025〕2号"]
