import pytest
from django.db import IntegrityError, transaction

from ruraledu.core.bulk import insert_returning, insert_rows, select_in, update_rows
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import OrgUnit

FIELDS = ("code", "name", "kind", "path", "depth", "sort_order", "is_active")


def unit_rows(numbers, path_prefix=""):
    return [
        (f"Q{n}", f"单位{n}", OrgUnitKind.TOWN, f"{path_prefix}{n:06d}/", 1, 0, True)
        for n in numbers
    ]


@pytest.mark.django_db
def test_rows_go_in_many_statements_and_come_back_by_key():
    # more rows than one statement carries, so the batching is exercised
    numbers = range(5000)
    assert insert_rows(OrgUnit, FIELDS, unit_rows(numbers)) == 5000
    found = dict(select_in(OrgUnit, ("code", "name"), "code", [f"Q{n}" for n in numbers[::7]]))
    assert found == {f"Q{n}": f"单位{n}" for n in numbers[::7]}
    pk = OrgUnit.objects.get(code="Q0").pk
    assert update_rows(OrgUnit, ("name",), [("改名", pk)]) == 1
    assert OrgUnit.objects.get(pk=pk).name == "改名"


@pytest.mark.django_db
def test_insert_returning_gives_each_new_row_its_key_and_id():
    returned = dict(insert_returning(OrgUnit, FIELDS, unit_rows(range(3000)), ("code", "pk")))
    assert len(returned) == 3000
    assert returned == dict(OrgUnit.objects.values_list("code", "pk"))


@pytest.mark.django_db
def test_insert_returning_finds_the_rows_where_the_database_cannot_return_them(monkeypatch):
    from django.db import connection

    insert_rows(OrgUnit, FIELDS, unit_rows(range(5)))  # rows already there are not new
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    returned = dict(insert_returning(OrgUnit, FIELDS, unit_rows(range(5, 1205)), ("code", "pk")))
    assert returned == dict(
        OrgUnit.objects.exclude(code__in=[f"Q{n}" for n in range(5)]).values_list("code", "pk")
    )
    assert len(returned) == 1200


@pytest.mark.django_db(transaction=True)
def test_a_failing_batch_leaves_nothing_behind_in_the_transaction():
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            insert_rows(OrgUnit, FIELDS, unit_rows(range(10)))
            insert_rows(OrgUnit, FIELDS, unit_rows([3], path_prefix="x"))  # code Q3 again
    assert not OrgUnit.objects.filter(code__startswith="Q").exists()
