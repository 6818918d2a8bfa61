"""Two years' assignments of one inspector to one school, ended at the same moment by two
bureau users: the second waits for the first, so the role goes once neither is open."""

import datetime as dt

import pytest
from django.db import connection, transaction

from conftest import race
from ruraledu.accounts.choices import Role
from ruraledu.accounts.models import RoleAssignment

from .. import services
from ..models import InspectorAssignment
from ..services import zones
from .conftest import YEAR

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks (SQLite runs writes one by one)"
)


@pytest.mark.django_db(transaction=True)
def test_both_years_ended_at_once_take_the_role_away(
    inspector, district_admin, school_a, monkeypatch
):
    services.inspector_assign(
        actor=district_admin,
        school=school_a,
        inspector=inspector,
        year=YEAR + 1,
        started_on=dt.date(YEAR + 1, 9, 1),
    )
    this_year, next_year = InspectorAssignment.objects.order_by("year")

    def end(assignment, day):
        with transaction.atomic():
            services.inspector_unassign(actor=district_admin, assignment=assignment, ended_on=day)

    race(
        monkeypatch,
        zones,
        "audit_record",
        first=lambda: end(this_year, dt.date(YEAR + 1, 8, 31)),
        second=lambda: end(next_year, dt.date(YEAR + 1, 9, 2)),
    )
    assert not InspectorAssignment.objects.filter(ended_on__isnull=True).exists()
    assert not RoleAssignment.objects.filter(
        user=inspector, role=Role.INSPECTOR, org_unit=school_a.org_unit
    ).exists()
