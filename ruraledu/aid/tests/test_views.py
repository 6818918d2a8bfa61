"""The gap page and its export: counts for every role in scope, names for care roles (logged),
the export refused to roles that may not see names and watermarked for those who may."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ruraledu.core.models import PersonalDataAccess
from ruraledu.students.models import StudentPerson

from .conftest import enrol, grant

URL = reverse("aid:gap_list")


@pytest.fixture
def world(school_a, school_b):
    enrol(school_a, "孤儿甲", orphan=True)
    grant(enrol(school_a, "普通丙"), school_a)
    enrol(school_b, "孤儿己", orphan=True)


def page(client, user, query="?year=2025&semester=1"):
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_school_officer_sees_names_and_each_read_is_logged(client, care_officer, world):
    html = page(client, care_officer)
    assert "孤儿甲" in html and "普通丙" in html
    assert "孤儿己" not in html  # school B's
    logged = PersonalDataAccess.objects.filter(user=care_officer, purpose="aid_gap_list")
    assert logged.count() == 2
    assert set(logged.values_list("subject", flat=True)) == {
        f"students.studentperson:{pk}"
        for pk in StudentPerson.objects.filter(name__in=["孤儿甲", "普通丙"]).values_list(
            "pk", flat=True
        )
    }


def test_the_town_office_sees_masked_names_and_no_reasons(client, town_officer, world):
    html = page(client, town_officer)
    assert "孤*甲" in html and "孤儿甲" not in html
    assert "孤儿</" not in html and "· 孤儿" not in html
    assert not PersonalDataAccess.objects.filter(user=town_officer).exists()


def test_a_read_only_leader_sees_counts_and_no_names(client, district_leader, world):
    html = page(client, district_leader)
    assert "甲镇中心小学" in html and "乙镇中心小学" in html
    assert "孤*甲" not in html and "孤儿甲" not in html
    assert "只能查看人数" in html


def test_the_export_is_refused_to_roles_that_may_not_see_names(
    client, town_officer, district_leader, world
):
    for user in (town_officer, district_leader):
        client.force_login(user)
        assert client.get(reverse("aid:gap_export") + "?year=2025&semester=1").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_export_holds_the_schools_names_with_a_watermark_and_is_logged(
    client, care_officer, world
):
    client.force_login(care_officer)
    response = client.get(reverse("aid:gap_export") + "?year=2025&semester=1")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    unaided = book["应助未助"]
    assert "由 钱专干（aid_officer）于" in unaided["A1"].value
    assert [r[0] for r in unaided.iter_rows(min_row=3, values_only=True)] == ["孤儿甲"]
    assert unaided["F3"].value == "孤儿"
    assert [r[0] for r in book["不再符合条件"].iter_rows(min_row=3, values_only=True)] == ["普通丙"]
    subjects = set(
        PersonalDataAccess.objects.filter(user=care_officer, purpose="export").values_list(
            "subject", flat=True
        )
    )
    assert "export:aid_gaps:2025-1:全部" in subjects and len(subjects) == 3


def test_the_rules_page_lists_the_kinds_and_amounts(client, district_leader):
    client.force_login(district_leader)
    html = client.get(reverse("aid:rules")).content.decode()
    assert "义务教育家庭经济困难学生生活补助" in html and "625.00" in html and "默认值" in html


def test_the_rules_are_edited_in_the_admin_and_every_change_is_audited(client, district_admin):
    from ruraledu.audit.models import AuditEvent

    from ..models import AidCategory

    district_admin.is_staff = district_admin.is_superuser = True
    district_admin.save()
    client.force_login(district_admin)
    assert (
        reverse("admin:aid_aidkind_changelist") in client.get(reverse("aid:rules")).content.decode()
    )
    category = AidCategory.objects.get(flag="orphan")
    response = client.post(
        reverse("admin:aid_aidcategory_change", args=[category.pk]),
        {"flag": "orphan", "name": "孤儿（含事实孤儿）", "is_active": "on", "order": 0},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(content_type__model="aidcategory", object_id=str(category.pk))
    assert (event.before, event.after) == ({"name": "孤儿"}, {"name": "孤儿（含事实孤儿）"})


def test_the_page_narrows_to_a_town_and_ignores_units_out_of_reach(
    client, district_admin, town_officer, world, town_a, town_b
):
    html = page(client, district_admin, f"?year=2025&semester=1&unit={town_b.pk}")
    assert "乙镇中心小学" in html and "甲镇中心小学" not in html
    # town A's office asking for town B sees its own town, not town B
    html = page(client, town_officer, f"?year=2025&semester=1&unit={town_b.pk}")
    assert "甲镇中心小学" in html and "乙镇中心小学" not in html and "孤*己" not in html
