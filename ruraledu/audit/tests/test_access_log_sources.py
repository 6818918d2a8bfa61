"""Reads of a child's personal data through the student page, the ID reveal and the API all
land in the one access log, which the bureau reads per child and per user."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ruraledu.api.tokens import token_create
from ruraledu.audit.personal_access import PURPOSES
from ruraledu.core.models import PersonalDataAccess
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson

URL = reverse("audit:personal_access_list")


def pupil(school, name: str) -> Enrolment:
    person = StudentPerson(name=name, sex="1")
    person.set_id_number(new_id())
    person.save()
    return Enrolment.objects.create(person=person, school=school, year=2024, grade=3)


@pytest.fixture
def pupils(school_a, school_b):
    return {"zhang": pupil(school_a, "张小明"), "li": pupil(school_b, "李小红")}


def api(user) -> APIClient:
    _, secret = token_create(user=user, name="测试", days=1, can_write=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_page_reveal_and_api_reads_are_read_per_child_and_per_user(
    client, pupils, school_clerk, outsider, district_admin
):
    zhang, li = pupils["zhang"], pupils["li"]
    # given the school's clerk reads 张小明 on the student page, reveals the ID, reads the API
    client.force_login(school_clerk)
    assert (
        client.get(reverse("students:enrolment_list", args=["SA"]), {"year": 2024}).status_code
        == 200
    )
    client.post(reverse("students:id_reveal", args=[zhang.person_id]) + "?year=2024")
    assert api(school_clerk).get(f"/api/v1/students/{zhang.pk}/").json()["name"] == "张小明"
    # and another school's clerk reads 李小红 through the API
    assert api(outsider).get("/api/v1/students/").json()["results"][0]["name"] == "李小红"
    # when the bureau opens the log of 张小明
    client.force_login(district_admin)
    page = client.get(URL, {"child": zhang.person_id})
    # then the three reads are there, by the clerk, newest first, named by purpose
    rows = [(e.user, PURPOSES[e.purpose], s.text, s.child) for e, s in page.context["rows"]]
    assert rows == [
        (school_clerk, "接口读取", "张小明", zhang.person_id),
        (school_clerk, "查看证件号", "张小明", zhang.person_id),
        (school_clerk, "学生名单页面", "张小明", zhang.person_id),
    ]
    assert zhang.person.id_number() not in page.content.decode()
    # and per user: the other clerk's API read of 李小红 only
    mine = client.get(URL, {"actor": "outsider"})
    assert [(PURPOSES[e.purpose], s.child) for e, s in mine.context["rows"]] == [
        ("接口读取", li.person_id)
    ]
    # and per purpose
    through_api = client.get(URL, {"purpose": "api"})
    assert {e.user for e, _ in through_api.context["rows"]} == {school_clerk, outsider}


def test_masked_names_are_not_logged(client, pupils, town_officer, district_leader):
    # given roles that see pupils' names masked (张*明) on the page and in the API
    for user in (town_officer, district_leader):
        client.force_login(user)
        body = client.get(reverse("students:enrolment_list", args=["SA"]), {"year": 2024})
        assert "张*明" in body.content.decode()
        assert (
            api(user).get("/api/v1/students/", {"school": "SA"}).json()["results"][0]["name"]
            == "张*明"
        )
    # then nothing was logged: no personal data was shown
    assert not PersonalDataAccess.objects.exists()
