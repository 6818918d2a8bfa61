"""Two decisions on one teacher's two posts in a district sent at the same moment (two rows of
the page, two users): the second waits for the first and is refused, so the teacher has one
decision for the year."""

import pytest
from django.db import connection

from conftest import race
from ruraledu.accounts.choices import Role
from ruraledu.indicators.tests._people_data import YEAR, post, school, staff
from ruraledu.planning import travel_services
from ruraledu.planning.models import RotationDecision

from .test_districts import _user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks (SQLite runs writes one by one)"
)


@pytest.mark.django_db(transaction=True)
def test_decisions_on_two_posts_at_once_leave_one(district_a, monkeypatch):
    town = district_a.children.get()
    first_school, second_school = school(town, "AS"), school(town, "AS2")
    teacher = staff(name="丁老师")
    for at in (first_school, second_school):
        post(teacher, at, year=YEAR)
    admin = _user("admin_a", Role.DISTRICT_ADMIN, district_a)

    def decide(at, decision):
        travel_services.rotation_decide(
            actor=admin,
            year=YEAR,
            person_id=teacher.pk,
            decision=decision,
            to_school_id=None,
            from_school_id=at.pk,
        )
        return "ok"

    outcomes = race(
        monkeypatch,
        travel_services,
        "audit_record",
        first=lambda: decide(first_school, "defer"),
        second=lambda: decide(second_school, "decline"),
    )
    assert outcomes["first"] == "ok"
    assert "一名教师一学年只作一个决定" in outcomes["second"]
    assert list(RotationDecision.objects.values_list("from_school", "decision")) == [
        (first_school.pk, "defer")
    ]
