"""The root fixture `sqlite_variable_limit` holds for the whole test, on whatever connection
the test ends up using, and hands the limit back without error."""

import pytest
from django.db import OperationalError, connection

from ruraledu.core.bulk import max_params
from ruraledu.orgunits.models import OrgUnit


@pytest.mark.django_db(transaction=True)
def test_the_lowered_limit_holds_on_a_connection_reopened_by_the_test(sqlite_variable_limit):
    if sqlite_variable_limit is None:
        pytest.skip("SQLite's limit only")
    # when the test closes its connection and the next query opens a new one
    connection.close()
    # then that one is held to the lowered limit too (and the fixture's teardown passes)
    assert max_params() == 999
    with pytest.raises(OperationalError, match="too many SQL variables"):
        list(OrgUnit.objects.filter(pk__in=range(1000)))
