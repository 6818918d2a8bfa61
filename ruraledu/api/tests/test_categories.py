"""A pupil's care categories go with the name, as on the roster page: null where the name is
masked, the documented fields kept (and documented as nullable)."""

import json

import pytest
from django.core.management import call_command

from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson

from .conftest import YEAR, token_client

CATEGORIES = ("left_behind", "disability", "placement", "struggling", "difficult")
FLAGGED = {
    "left_behind": True,
    "disability": True,
    "placement": "home",
    "struggling": True,
    "difficult": True,
}


@pytest.fixture
def flagged(school_a):
    person = StudentPerson(name="张小明", sex="1")
    person.set_id_number(new_id())
    person.save()
    return Enrolment.objects.create(
        person=person,
        school=school_a,
        year=YEAR,
        grade=3,
        left_behind=True,
        disability=True,
        placement="home",
        struggling=True,
        orphan=True,
    )


def _read(user, flagged):
    client = token_client(user, can_write=False)
    (listed,) = client.get("/api/v1/students/").json()["results"]
    one = client.get(f"/api/v1/students/{flagged.pk}/").json()
    return listed, one


@pytest.mark.parametrize("persona", ["inspector", "researcher", "town_officer"])
def test_categories_are_null_where_the_name_is_masked(request, flagged, persona):
    for pupil in _read(request.getfixturevalue(persona), flagged):
        assert (pupil["name"], pupil["name_masked"]) == ("张*明", True)
        assert {key: pupil[key] for key in CATEGORIES} == dict.fromkeys(CATEGORIES)
        assert pupil["grade"] == 3  # the rest as before


@pytest.mark.parametrize("persona", ["school_clerk", "district_admin"])
def test_categories_are_given_where_the_name_is_in_full(request, flagged, persona):
    for pupil in _read(request.getfixturevalue(persona), flagged):
        assert (pupil["name"], pupil["name_masked"]) == ("张小明", False)
        assert {key: pupil[key] for key in CATEGORIES} == FLAGGED


def test_the_schema_documents_the_categories_as_nullable(tmp_path):
    out = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(out))
    fields = json.loads(out.read_text())["components"]["schemas"]["Enrolment"]["properties"]
    for key in CATEGORIES:
        kinds = [ref.get("$ref", "") for ref in fields[key].get("oneOf", [])]
        assert fields[key].get("nullable") or "#/components/schemas/NullEnum" in kinds, key
        assert "null" in fields[key].get("description", ""), key
