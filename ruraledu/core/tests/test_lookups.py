"""A whole number past 64 bits sent for an id matches no row, in a foreign key's = and in
`in`, instead of a server error (SQLite's driver refuses to bind it)."""

import pytest
from django import forms

from ruraledu.core.models import SchoolYear, SchoolYearCheck

HUGE = 10**20


@pytest.fixture
def check(school_a):
    year = SchoolYear.objects.create(year=2025)
    return SchoolYearCheck.objects.create(year=year, unit=school_a.org_unit)


@pytest.mark.parametrize("value", [HUGE, -HUGE, str(HUGE), 2**63])
def test_a_foreign_key_equal_to_a_huge_number_matches_nothing(check, value):
    assert not SchoolYearCheck.objects.filter(unit=value).exists()
    assert not SchoolYearCheck.objects.filter(year_id=value).exists()


def test_in_keeps_the_ids_a_row_can_hold(check):
    assert list(SchoolYearCheck.objects.filter(pk__in=[HUGE, check.pk])) == [check]
    assert list(SchoolYearCheck.objects.filter(unit__in=[str(HUGE), check.unit_id])) == [check]
    assert not SchoolYearCheck.objects.filter(pk__in=[HUGE]).exists()
    assert not SchoolYearCheck.objects.filter(unit__in=[HUGE, -HUGE]).exists()
    assert SchoolYearCheck.objects.filter(unit=2**63 - 1).count() == 0  # the largest still binds


def test_a_huge_choice_is_an_invalid_choice(check):
    one = forms.ModelChoiceField(queryset=SchoolYearCheck.objects.all())
    many = forms.ModelMultipleChoiceField(queryset=SchoolYearCheck.objects.all())
    for field, value in ((one, str(HUGE)), (many, [str(HUGE)])):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(value)
        assert refused.value.code in ("invalid_choice", "invalid_pk_value")
