"""An indicator's drill-down that names pupils in full (page or Excel) logs each of them for
the role that sees the names; a role that sees them masked logs nothing."""

import pytest
from django.urls import reverse

from ruraledu.core.models import PersonalDataAccess
from ruraledu.indicators.services import recompute
from ruraledu.indicators.tests._people_data import YEAR, pupils

CODE = "priority_student_aid_rate"
URL = reverse("indicators:indicator_records", args=[CODE])


@pytest.fixture
def short_of_aid(school_a, school_b):
    """Two priority pupils without aid, one in each school (the drill-down's "short" part)."""
    (in_a,) = pupils(school_a, 1, left_behind=True, aid_received=False)
    (in_b,) = pupils(school_b, 1, orphan=True, aid_received=False)
    pupils(school_a, 1, left_behind=True, aid_received=True)
    recompute(years=[YEAR])
    return {"SA": in_a, "SB": in_b}


def logged(user, purpose):
    return set(
        PersonalDataAccess.objects.filter(user=user, purpose=purpose).values_list(
            "subject", flat=True
        )
    )


def test_the_page_and_its_export_log_the_pupils_named_in_full(client, district_admin, short_of_aid):
    client.force_login(district_admin)
    # when the bureau opens the pupils short of aid, then downloads them
    page = client.get(URL, {"unit": "D", "year": YEAR, "part": "short"})
    assert "SA-0" in page.content.decode()
    response = client.get(URL, {"unit": "D", "year": YEAR, "part": "short", "format": "xlsx"})
    b"".join(response.streaming_content)
    # then both pupils are logged for each read, by purpose
    both = {f"students.studentperson:{e.person_id}" for e in short_of_aid.values()}
    assert logged(district_admin, "drilldown") == both
    assert logged(district_admin, "drilldown_export") == both


def test_a_role_seeing_masked_names_logs_nothing(client, district_leader, short_of_aid):
    client.force_login(district_leader)
    page = client.get(URL, {"unit": "D", "year": YEAR, "part": "short"})
    assert "S**0" in page.content.decode() and "SA-0" not in page.content.decode()
    client.get(URL, {"unit": "D", "year": YEAR, "part": "short", "format": "xlsx"})
    assert not PersonalDataAccess.objects.exists()
