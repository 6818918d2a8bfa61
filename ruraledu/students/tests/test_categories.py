"""A child's categories (留守、残疾、学困、困境 …) go with the name: where the name is masked,
the roster, its filter, its export and the edit page show none of them."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.students.privacy import CATEGORIES

from .conftest import YEAR


def enrol(school, name: str, **flags) -> Enrolment:
    person = StudentPerson(name=name, sex="1")
    person.set_id_number(new_id())
    person.save()
    return Enrolment.objects.create(person=person, school=school, year=YEAR, grade=3, **flags)


@pytest.fixture
def pupils(school_a):
    """张小明 (留守, 残疾 送教上门, 学困, 困境 …) and 王小刚 (none) at school A."""
    flagged = enrol(
        school_a,
        "张小明",
        left_behind=True,
        disability=True,
        placement="home",
        struggling=True,
        hardship=True,
        family_status="monitored",
        aid_received=True,
        migrant=True,
    )
    return flagged, enrol(school_a, "王小刚")


@pytest.fixture
def inspector(school_a):
    user = UserFactory(username="inspector")
    RoleAssignmentFactory(user=user, role=Role.INSPECTOR, org_unit=school_a.org_unit)
    return user


def roster(client, query=""):
    """The page's filter form and table (the menu names the care pages)."""
    url = reverse("students:enrolment_list", args=["SA"]) + f"?year={YEAR}{query}"
    body = client.get(url).content.decode()
    return body[body.index('role="search"') : body.index("</table>")]


BADGES = ("留守", "残疾", "学困", "困境", "送教上门")


def test_a_masked_roster_shows_no_categories_and_offers_no_category_filter(
    client, inspector, pupils
):
    client.force_login(inspector)
    body = roster(client)
    assert "张*明" in body and "王*刚" in body
    assert not [badge for badge in BADGES if badge in body]
    assert 'name="care"' not in body and '<th scope="col">关注</th>' not in body


@pytest.mark.parametrize("care", ["left_behind", "disability", "struggling"])
def test_a_crafted_category_filter_does_not_filter_a_masked_roster(client, inspector, pupils, care):
    client.force_login(inspector)
    body = roster(client, f"&care={care}")
    # both children listed: the filter would otherwise say who is in the category
    assert "张*明" in body and "王*刚" in body


@pytest.mark.parametrize("persona", ["school_clerk", "district_admin"])
def test_a_clear_roster_shows_and_filters_by_categories(request, client, pupils, persona):
    client.force_login(request.getfixturevalue(persona))
    body = roster(client)
    assert all(badge in body for badge in BADGES) and 'name="care"' in body
    filtered = roster(client, "&care=disability")
    assert "张小明" in filtered and "王小刚" not in filtered


def test_the_edit_page_of_a_masked_editor_has_no_category_fields(
    client, town_officer, school_clerk, pupils
):
    flagged, _ = pupils
    url = reverse("students:enrolment_edit", args=[flagged.pk])
    client.force_login(town_officer)
    body = client.get(url).content.decode()
    assert "张*明" in body
    assert not [name for name in CATEGORIES if f'name="{name}"' in body]
    # what it may edit is saved; the categories it did not see are kept
    data = {"grade": 4, "class_name": "4班", "transport": "none"}
    assert client.post(url, data).status_code == 302
    flagged.refresh_from_db()
    assert (flagged.grade, flagged.left_behind, flagged.placement) == (4, True, "home")
    # the school's clerk sees and edits them
    client.force_login(school_clerk)
    body = client.get(url).content.decode()
    assert all(f'name="{name}"' in body for name in CATEGORIES if name != "migrant")


def _export(client, school=""):
    url = reverse("spreadsheets:export", args=["students"]) + f"?year={YEAR}{school}"
    book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content)))
    header, *rows = book.active.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


HEADERS = (
    "留守儿童",
    "残疾",
    "安置方式",
    "困境儿童",
    "脱贫/监测户",
    "学困生",
    "已获资助",
    "随迁子女",
)


def test_a_masked_export_leaves_the_categories_blank(client, inspector, pupils):
    client.force_login(inspector)
    rows = {row["姓名"]: row for row in _export(client, "&school=SA")}
    assert set(rows) == {"张*明", "王*刚"}
    assert {h: rows["张*明"][h] for h in HEADERS} == dict.fromkeys(HEADERS)
    assert rows["张*明"]["年级"] == 3  # the rest of the row as before


def test_a_clear_export_keeps_the_categories(client, school_clerk, pupils):
    client.force_login(school_clerk)
    rows = {row["姓名"]: row for row in _export(client)}
    flagged = rows["张小明"]
    assert [flagged[h] for h in HEADERS] == [
        "是",
        "是",
        "送教上门",
        "是",
        "防止返贫动态监测家庭",
        "是",
        "是",
        "是",
    ]
    assert rows["王小刚"]["留守儿童"] == "否"


def test_an_export_of_two_schools_withholds_only_the_masked_schools_categories(client, two_hats):
    Enrolment.objects.update(left_behind=True)
    client.force_login(two_hats)
    rows = {row["姓名"]: row for row in _export(client)}
    assert (rows["张小明"]["留守儿童"], rows["李*红"]["留守儿童"]) == ("是", None)
