"""The bureau reads the personal-data access log per user and per child; nobody else can."""

import pytest
from django.urls import reverse

from ruraledu.core.models import PersonalDataAccess
from ruraledu.students.models import StudentPerson

ZHANG_ID = "370302201301010011"
LI_ID = "37030220140202002X"
URL = reverse("audit:personal_access_list")


def student(name: str, id_number: str) -> StudentPerson:
    person = StudentPerson(name=name, sex="1")
    person.set_id_number(id_number)
    person.save()
    return person


def access(user, subject: str, purpose: str = "view") -> PersonalDataAccess:
    return PersonalDataAccess.objects.create(
        user=user, subject=subject, purpose=purpose, address="10.0.0.8"
    )


@pytest.fixture
def log(db, school_clerk, outsider):
    zhang, li = student("张小明", ZHANG_ID), student("李小红", LI_ID)
    return {
        "clerk_zhang": access(school_clerk, f"students.studentperson:{zhang.pk}"),
        "clerk_export": access(school_clerk, "export:students:2025:SA", "export"),
        "outsider_li": access(outsider, f"students.studentperson:{li.pk}"),
        "outsider_zhang": access(outsider, f"students.studentperson:{zhang.pk}"),
        "zhang": zhang,
        "li": li,
    }


def shown(response) -> list[int]:
    return [entry.pk for entry, _subject in response.context["rows"]]


def test_the_bureau_sees_every_entry_with_masked_ids_only(client, district_admin, log):
    client.force_login(district_admin)
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert len(shown(response)) == 4
    assert "张小明" in body and "3703**********0011" in body
    assert "导出：students，2025学年，SA" in body
    assert ZHANG_ID not in body and LI_ID not in body


def test_the_bureau_filters_by_user(client, district_admin, log):
    client.force_login(district_admin)
    response = client.get(URL, {"actor": "outsider"})
    assert shown(response) == [log["outsider_zhang"].pk, log["outsider_li"].pk]


def test_the_bureau_finds_a_child_by_id_number_without_it_in_the_address(
    client, district_admin, log
):
    client.force_login(district_admin)
    # when the ID number is posted
    response = client.post(URL, {"id_number": ZHANG_ID.lower()})
    # then the page is redirected to the child's record id, never the number
    assert response.status_code == 302
    assert ZHANG_ID not in response.url
    assert f"child={log['zhang'].pk}" in response.url
    page = client.get(response.url)
    assert shown(page) == [log["outsider_zhang"].pk, log["clerk_zhang"].pk]
    assert "学生：张小明（3703**********0011）" in page.content.decode()
    # and per user and per child together
    both = client.get(URL, {"child": log["zhang"].pk, "actor": "school_clerk"})
    assert shown(both) == [log["clerk_zhang"].pk]


def test_an_unknown_id_number_says_so(client, district_admin, log):
    client.force_login(district_admin)
    response = client.post(URL, {"id_number": "370302201501010000"})
    assert response.status_code == 200
    assert "没有找到持这个证件号的学生" in response.content.decode()


def test_bad_filters_are_ignored(client, district_admin, log):
    client.force_login(district_admin)
    response = client.get(URL, {"child": "abc", "purpose": "nope", "page": "x"})
    assert response.status_code == 200
    assert len(shown(response)) == 4


@pytest.mark.parametrize("persona", ["town_officer", "school_clerk", "district_leader"])
def test_others_get_404(client, request, persona, log):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"id_number": ZHANG_ID}).status_code == 404


def test_the_page_needs_login(client, db):
    assert client.get(URL).status_code == 302


def test_the_query_count_does_not_grow_with_the_entries(
    client, district_admin, school_clerk, django_assert_num_queries
):
    # given many entries about many children
    people = [student(f"学生{i}", f"3703022013010{i:04d}1") for i in range(30)]
    for person in people:
        access(school_clerk, f"students.studentperson:{person.pk}")
    access(school_clerk, "export:students:2025:全部", "export")
    client.force_login(district_admin)
    # when / then: session, user, roles, the menu's unread notices, count, page, the page's
    # children (one query)
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert len(shown(response)) == 31
