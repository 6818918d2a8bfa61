"""The demo's term of grants on a small district: deterministic gaps, three wrongly paid
children and one duplicate at the officer's school; a second run adds nothing."""

from ruraledu.orgunits.tests.factories import SchoolFactory

from ..choices import GapKind
from ..demo import aid_demo_setup, aid_demo_wipe
from ..models import AidGrant
from ..selectors import gap_querysets
from .conftest import enrol


def test_the_demo_term_has_gaps_and_runs_once(district_admin, school_a, town_a):
    # given 80 qualifying pupils and 5 who qualify for nothing at SA, and a second school in town A
    SchoolFactory(org_unit__code="SA2", org_unit__parent=town_a)
    for i in range(80):
        enrol(
            school_a, f"甲{i:02d}", orphan=i % 2 == 0, family_status="" if i % 2 == 0 else "lifted"
        )
    for i in range(5):
        enrol(school_a, f"乙{i}")
    # when
    made = aid_demo_setup(actor=district_admin, school=school_a.org_unit)
    # then every 40th qualifying child is left out; 3 paid without qualifying; 1 paid twice
    lists = gap_querysets(user=district_admin, year=2025, semester=1)
    assert made == AidGrant.objects.count() == 78 + 3 + 1
    assert lists[GapKind.UNAIDED].count() == 2
    assert lists[GapKind.NOT_ELIGIBLE].count() == 3
    assert lists[GapKind.DUPLICATE].values("person_id").distinct().count() == 1
    assert set(lists[GapKind.DUPLICATE].values_list("school__org_unit__code", flat=True)) == {
        "SA",
        "SA2",
    }
    # and a second run adds nothing
    assert aid_demo_setup(actor=district_admin, school=school_a.org_unit) == 0
    assert AidGrant.objects.count() == 82


def test_the_wipe_removes_the_demo_schools_grants(district_admin, school_a, town_a):
    SchoolFactory(org_unit__code="SA2", org_unit__parent=town_a)
    enrol(school_a, "甲", orphan=True)
    aid_demo_setup(actor=district_admin, school=school_a.org_unit)
    aid_demo_wipe([school_a])
    assert not AidGrant.objects.exists()
