import pytest
from django.db import IntegrityError, transaction

from ruraledu.core.bulk import (
    WriteQueue,
    insert_rows,
    reserve_ids,
    select_in,
    update_rows,
)
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import OrgUnit

FIELDS = ("pk", "code", "name", "kind", "path", "depth", "sort_order", "is_active")


def unit_rows(ids, prefix="Q"):
    return [
        (pk, f"{prefix}{pk}", f"单位{pk}", OrgUnitKind.TOWN, f"{pk:06d}/", 1, 0, True) for pk in ids
    ]


@pytest.mark.django_db(transaction=True)
def test_rows_go_in_many_statements_and_come_back_by_key():
    # more rows than one statement carries, so the batching is exercised
    ids = reserve_ids(OrgUnit, 5000)
    assert len(set(ids)) == 5000
    assert insert_rows(OrgUnit, FIELDS, unit_rows(ids)) == 5000
    found = dict(select_in(OrgUnit, ("code", "name"), "code", [f"Q{pk}" for pk in ids[::7]]))
    assert found == {f"Q{pk}": f"单位{pk}" for pk in ids[::7]}
    assert update_rows(OrgUnit, ("name",), [("改名", ids[0])]) == 1
    assert OrgUnit.objects.get(pk=ids[0]).name == "改名"
    # ids handed out later lie past every row written
    assert min(reserve_ids(OrgUnit, 3)) > max(ids)


@pytest.mark.django_db(transaction=True)
def test_the_write_queue_runs_in_order_inside_the_transaction():
    ids = reserve_ids(OrgUnit, 3)
    with transaction.atomic():
        with WriteQueue() as queue:
            insert_rows(OrgUnit, FIELDS, unit_rows(ids), queue=queue)
            update_rows(OrgUnit, ("name",), [("后写", ids[1])], queue=queue)
    assert OrgUnit.objects.get(pk=ids[1]).name == "后写"


@pytest.mark.django_db(transaction=True)
def test_a_failed_statement_in_the_queue_rolls_the_whole_transaction_back():
    ids = reserve_ids(OrgUnit, 2)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            with WriteQueue() as queue:
                insert_rows(OrgUnit, FIELDS, unit_rows(ids[:1]), queue=queue)
                # another row with the same code breaks the unique constraint
                clash = (ids[1], *unit_rows(ids[:1])[0][1:4], "clash/", 1, 0, True)
                insert_rows(OrgUnit, FIELDS, [clash], queue=queue)
    assert not OrgUnit.objects.filter(pk__in=ids).exists()
