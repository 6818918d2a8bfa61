"""Values received from another instance (DHIS2 dataValueSets) are never overwritten or deleted
by a recompute, full or incremental; the engine's own values around them still are."""

from ruraledu.api.dhis2 import import_value_set
from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.choices import ValueOrigin
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute, recompute_changes

from ._coverage_data import school

CODE = "rural_sanitary_toilet_rate"


def test_recompute_leaves_imported_values_alone(town_a, town_b, district_admin):
    a1, a2 = school("A1", town_a), school("A2", town_a)
    FacilityRecord.objects.create(school=a1, year=2024, sanitary_toilets=False)
    FacilityRecord.objects.create(school=a2, year=2024, sanitary_toilets=True)
    recompute()
    assert IndicatorValue.objects.get(code=CODE, unit=a1.org_unit, year=2024).value == 0.0

    sent = [
        {"dataElement": CODE, "period": "2024", "orgUnit": "A1", "value": "100"},
        # a unit the engine computes nothing for: a recompute would delete its own such value
        {"dataElement": CODE, "period": "2024", "orgUnit": "TB", "value": "50"},
    ]
    assert import_value_set(user=district_admin, data_values=sent)["created"] == 1
    imported = IndicatorValue.objects.get(code=CODE, unit=a1.org_unit, year=2024)
    assert (imported.value, imported.origin) == (100.0, ValueOrigin.IMPORTED)

    full = recompute()
    recompute_changes()
    FacilityRecord.objects.filter(school=a2).update(sanitary_toilets=False)
    FacilityRecord.objects.filter(school=a1).update(sanitary_toilets=True)
    incremental = recompute_changes()

    mine = IndicatorValue.objects.get(code=CODE, unit=a1.org_unit, year=2024)
    assert (mine.pk, mine.value, mine.origin) == (imported.pk, 100.0, ValueOrigin.IMPORTED)
    assert IndicatorValue.objects.get(code=CODE, unit=town_b, year=2024).value == 50.0
    # the engine's own values still follow the data: A2 no longer has them, the town has A1's
    assert IndicatorValue.objects.get(code=CODE, unit=a2.org_unit, year=2024).value == 0.0
    town = IndicatorValue.objects.get(code=CODE, unit=town_a, year=2024)
    assert (town.value, town.origin) == (50.0, ValueOrigin.COMPUTED)
    # A2 only: the town and the district stay at one school in two
    assert full.changed == 0 and (incremental.updated, incremental.created) == (1, 0)


def test_a_value_imported_while_the_recompute_computes_is_left_alone(
    town_a, district_admin, monkeypatch
):
    """The stored values are read before the year is computed (on another connection where
    it can): a push arriving meanwhile must still win."""
    from ruraledu.indicators import services

    a1 = school("A1", town_a)
    FacilityRecord.objects.create(school=a1, year=2024, sanitary_toilets=False)
    recompute()
    real = services.compute_year

    def compute_then_push(*args, **kwargs):
        computed = real(*args, **kwargs)  # 100 % now, 0 % as read before
        sent = [{"dataElement": CODE, "period": "2024", "orgUnit": "A1", "value": "50"}]
        import_value_set(user=district_admin, data_values=sent)
        return computed

    FacilityRecord.objects.filter(school=a1).update(sanitary_toilets=True)
    monkeypatch.setattr(services, "compute_year", compute_then_push)
    recompute(years=[2024])
    value = IndicatorValue.objects.get(code=CODE, unit=a1.org_unit, year=2024)
    assert (value.value, value.origin) == (50.0, ValueOrigin.IMPORTED)
    town = IndicatorValue.objects.get(code=CODE, unit=town_a, year=2024)
    assert (town.value, town.origin) == (100.0, ValueOrigin.COMPUTED)
