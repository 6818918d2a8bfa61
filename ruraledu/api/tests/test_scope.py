"""Every endpoint walked as each persona against records inside and outside its reach: what
the pages would not show is missing from lists and a 404 on its own."""

import datetime as dt
import json
import re

import pytest
from stdnum.cn import ric

from ruraledu.core.models import PersonalDataAccess
from ruraledu.reporting.models import ProgressReport
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import Post, StaffPerson

from .conftest import YEAR, code_of_rate, import_job, token_client

ALL = {"D", "TA", "TB", "SA", "SB"}
VISIBLE = {
    "district_admin": ALL,
    "district_leader": ALL,
    "town_officer": {"TA", "SA"},
    "school_clerk": {"SA"},
    "inspector": {"SA"},
    "researcher": {"TA", "SA"},
    "care_officer": {"SA"},
    "outsider": {"SB"},
    "department_reporter": set(),
}
SCHOOLS = {"SA", "SB"}
# where each persona's role may see personal data (pupils' names in full), as on the pages
CLEAR = {
    "district_admin": SCHOOLS,
    "school_clerk": {"SA"},
    "care_officer": {"SA"},
    "outsider": {"SB"},
}
NAMES = {"SA": "张小明", "SB": "李小红"}
MASKED = {"SA": "张*明", "SB": "李*红"}
# a valid 18-digit ID number, put where only the bureau's own import job holds it
ID_BODY = "37030220100101123"
ID_NUMBER = ID_BODY + ric.calc_check_digit(ID_BODY + "0")
ID_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def clear_ids(body: str) -> list[str]:
    return [m for m in ID_PATTERN.findall(body) if ric.is_valid(m)]


def pupil(school, name: str) -> Enrolment:
    person = StudentPerson(name=name, sex="1")
    person.set_id_number(new_id())
    person.save()
    return Enrolment.objects.create(person=person, school=school, year=YEAR, grade=3)


def teacher(school, name: str) -> Post:
    person = StaffPerson(name=name, sex="2")
    person.set_id_number(new_id(dt.date(1985, 3, 1)))
    person.save()
    return Post.objects.create(person=person, school=school, year=YEAR, degree="2")


@pytest.fixture
def world(values, reports, district_admin, school_a, school_b):
    job = import_job(district_admin)
    job.errors = [{"row": 3, "column": "身份证号", "value": ID_NUMBER, "message": "重复"}]
    job.save()
    schools = {"SA": school_a, "SB": school_b}
    return {
        "job": job,
        "reports": reports,
        "pupils": {code: pupil(school, NAMES[code]) for code, school in schools.items()},
        "staff": {code: teacher(school, f"{code}老师") for code, school in schools.items()},
    }


def _get(client, url, **params):
    response = client.get(url, params)
    return response, response.content.decode()


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_every_endpoint_is_scoped(request, world, persona):
    user = request.getfixturevalue(persona)
    client = token_client(user, can_write=False)
    seen = VISIBLE[persona]
    bodies = []

    def ok(url, **params):
        response, body = _get(client, url, **params)
        assert response.status_code == 200, (url, response.status_code, body[:300])
        bodies.append(body)
        return response.json()

    units = ok("/api/v1/units/", page_size=1000)
    assert {u["code"] for u in units["results"]} == seen
    for code in ALL:
        response, body = _get(client, f"/api/v1/units/{code}/")
        bodies.append(body)
        assert response.status_code == (200 if code in seen else 404), (code, body)

    schools = ok("/api/v1/schools/")
    assert {s["code"] for s in schools["results"]} == seen & SCHOOLS
    for code in SCHOOLS:
        response, body = _get(client, f"/api/v1/schools/{code}/")
        bodies.append(body)
        assert response.status_code == (200 if code in seen else 404)

    listed = ok("/api/v1/values/", year=YEAR)
    assert {v["unit"] for v in listed["results"]} == seen
    for code in ALL - seen:
        response, _ = _get(client, "/api/v1/values/", unit=code)
        assert response.json()["count"] == 0
        response, _ = _get(client, "/api/v1/values/", under=code)
        assert response.status_code == 404
    exported = ok("/api/v1/dhis2/dataValueSets/")
    assert {d["orgUnit"] for d in exported["dataValues"]} == seen

    own = set(ProgressReport.objects.for_user(user).values_list("pk", flat=True))
    assert {r["id"] for r in ok("/api/v1/reports/")["results"]} == own
    for key, report in world["reports"].items():
        response, body = _get(client, f"/api/v1/reports/{report.pk}/")
        bodies.append(body)
        assert response.status_code == (200 if report.pk in own else 404)
        if key not in seen:
            assert report.pk not in own

    jobs = ok("/api/v1/import-jobs/")
    mine = persona == "district_admin"
    assert [j["id"] for j in jobs["results"]] == ([world["job"].pk] if mine else [])
    response, _ = _get(client, f"/api/v1/import-jobs/{world['job'].pk}/")
    assert response.status_code == (200 if mine else 404)

    # the plan, the indicator registry and target states are the same for every signed-in user
    assert ok("/api/v1/plan/sections/")["count"] > 0
    assert ok("/api/v1/plan/projects/")["count"] > 0
    assert ok("/api/v1/plan/targets/")["count"] > 0
    ok("/api/v1/target-states/")
    ok("/api/v1/target-status-changes/")
    ok("/api/v1/reporting-periods/")
    definitions = ok("/api/v1/indicators/")
    assert code_of_rate() in {d["code"] for d in definitions}
    assert ok(f"/api/v1/indicators/{code_of_rate()}/")["code"] == code_of_rate()

    # staff and pupils: the schools the persona's pages open, pupils' names masked as there
    staff = ok("/api/v1/staff/", page_size=1000)
    assert {(p["school"], p["name"]) for p in staff["results"]} == {
        (code, f"{code}老师") for code in seen & SCHOOLS
    }
    pupils = ok("/api/v1/students/", page_size=1000)
    clear = CLEAR.get(persona, set())
    expected = {c: NAMES[c] if c in clear else MASKED[c] for c in seen & SCHOOLS}
    assert {p["school"]: p["name"] for p in pupils["results"]} == expected
    assert all(p["id_number_masked"].count("*") == 10 for p in pupils["results"])
    for kind, records in (("staff", world["staff"]), ("students", world["pupils"])):
        for code, record in records.items():
            response, body = _get(client, f"/api/v1/{kind}/{record.pk}/")
            bodies.append(body)
            assert response.status_code == (200 if code in seen else 404), (kind, code)
        for code in SCHOOLS - seen:
            response, _ = _get(client, f"/api/v1/{kind}/", school=code)
            assert response.status_code == 404
    # every name read in full through the API is in the access log, and only those
    logged = PersonalDataAccess.objects.filter(user=user, purpose="api")
    assert set(logged.values_list("subject", flat=True)) == {
        f"students.studentperson:{world['pupils'][c].person_id}" for c in clear & seen
    }

    leaked = [ids for body in bodies for ids in clear_ids(body)]
    assert leaked == ([ID_NUMBER] if mine else []), leaked


def test_anonymous_gets_401_everywhere(world):
    from rest_framework.test import APIClient

    client = APIClient()
    for url in ["/api/v1/units/", "/api/v1/values/", "/api/v1/plan/targets/", "/api/v1/reports/"]:
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
        assert "令牌" in response.json()["error"]["message"]


def test_values_carry_numerator_and_denominator(values, district_admin):
    client = token_client(district_admin, can_write=False)
    row = client.get("/api/v1/values/", {"unit": "TA", "code": code_of_rate()}).json()
    assert row["count"] == 1
    value = row["results"][0]
    assert (value["numerator"], value["denominator"], value["value"]) == (90.0, 100.0, 90.0)


def test_values_etag_answers_304_until_a_value_changes(values, district_admin):
    client = token_client(district_admin, can_write=False)
    first = client.get("/api/v1/values/", {"year": YEAR})
    etag = first["ETag"]
    again = client.get("/api/v1/values/", {"year": YEAR}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/api/v1/values/", {"year": YEAR, "unit": "SA"}, HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200
    row = values["SA"]
    row.value = 91.0
    row.save()
    changed = client.get("/api/v1/values/", {"year": YEAR}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert 91.0 in [v["value"] for v in changed.json()["results"]]


def test_pagination_and_filters(values, district_admin):
    client = token_client(district_admin, can_write=False)
    page = client.get("/api/v1/values/", {"page_size": 2}).json()
    assert page["count"] == 5
    assert len(page["results"]) == 2
    assert page["next"]
    under = client.get("/api/v1/values/", {"under": "TA"}).json()
    assert {v["unit"] for v in under["results"]} == {"TA", "SA"}
    assert client.get("/api/v1/values/", {"year": YEAR + 1}).json()["count"] == 0
    assert client.get("/api/v1/values/", {"code": "nope"}).json()["count"] == 0
    bad = client.get("/api/v1/values/", {"year": "20x4"})
    assert bad.status_code == 400
    assert json.loads(bad.content)["error"]["fields"]["year"]


def test_pupils_filter_by_school_year_and_grade_and_page(world, district_admin):
    client = token_client(district_admin, can_write=False)
    extra = pupil(world["pupils"]["SA"].school, "王小刚")
    extra.grade = 5
    extra.save()
    assert client.get("/api/v1/students/", {"school": "SA"}).json()["count"] == 2
    assert client.get("/api/v1/students/", {"grade": 5}).json()["results"][0]["id"] == extra.pk
    assert client.get("/api/v1/students/", {"year": YEAR + 1}).json()["count"] == 0
    page = client.get("/api/v1/students/", {"page_size": 1}).json()
    assert (page["count"], len(page["results"]), bool(page["next"])) == (3, 1, True)
    bad = client.get("/api/v1/students/", {"grade": "三"})
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["grade"] == ["年级应为 1 到 12 的整数。"]
    # each response logs the pupils it named (two, one, none, one page of one)
    assert PersonalDataAccess.objects.filter(purpose="api").count() == 2 + 1 + 1
