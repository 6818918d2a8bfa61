"""The demo: the disabled pupils on the list, three decisions, six unplaced, a year of visits
with the decided child behind schedule; a second run adds nothing."""

import datetime as dt
from collections import Counter

from ..choices import PlacementState
from ..demo import inclusion_demo_setup
from ..models import HomeVisit, PlacementDecision
from ..reconcile import home_children, reconcile
from .conftest import YEAR, enrol


def test_the_demo_places_children_and_logs_a_term_of_visits_once(
    village_a, village_b, school_a, district_admin
):
    for name, placement, village, born in (
        ("送教甲", "home", village_a, dt.date(2015, 6, 1)),
        ("随班乙", "mainstream", village_b, dt.date(2014, 1, 1)),
    ):
        person = enrol("", name, school_a, placement=placement).person
        person.village, person.birth_date = village, born
        person.save()

    created = inclusion_demo_setup(actor=district_admin, clerk_school=school_a.org_unit)

    states = Counter(r.state for r in reconcile(YEAR))
    assert states == {
        PlacementState.UNPLACED: 6,
        PlacementState.HOME: 2,  # 送教甲 by the roster, one child by decision
        PlacementState.MAINSTREAM: 1,
        PlacementState.DEFERRED: 1,
        PlacementState.UNSUITABLE: 1,
    }
    homes = {h.key[0]: h for h in home_children(YEAR, dt.date(2026, 8, 31))}
    assert (homes["p"].due, homes["p"].done, homes["p"].behind) == (18, 18, False)
    assert homes["d"].behind and homes["d"].done == 8  # decided 11 Sep: one a month from Oct
    assert created == HomeVisit.objects.count() == 26
    assert inclusion_demo_setup(actor=district_admin, clerk_school=school_a.org_unit) == 0
    assert (PlacementDecision.objects.count(), HomeVisit.objects.count()) == (3, 26)
