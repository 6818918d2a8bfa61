"""Exports of names (case list, working lists): names only where allowed, each logged,
watermarked with the user and time in the header, footer and file properties, refused to
roles without care rights; the bureau's access log of one child; neglected cases listed."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from ruraledu.audit.personal_access import PURPOSES
from ruraledu.core.models import PersonalDataAccess

from .. import services
from ..choices import CaseStatus, FindingKind
from .conftest import FOUND_ON, YEAR, make_pupil, open_case, walk
from .test_crosscheck import village_a  # noqa: F401 (fixture)
from .test_finding_views import findings  # noqa: F401 (fixture)


def _book(response):
    data = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(data))


@pytest.fixture
def cases(school_a, care_officer, town_officer):
    """At school A: 王小明 in persuasion, 刘小刚 escalated to the town."""
    quiet = walk(open_case(make_pupil(school_a), care_officer), care_officer, "contacting")
    loud = walk(
        open_case(make_pupil(school_a, name="刘小刚"), care_officer),
        care_officer,
        CaseStatus.ESCALATED_TOWN,
        town_actor=town_officer,
    )
    return quiet, loud


def test_the_case_export_is_watermarked_and_each_name_logged(client, cases, care_officer):
    quiet, loud = cases
    client.force_login(care_officer)
    response = client.get(reverse("care:case_export"), REMOTE_ADDR="10.2.3.4")
    assert response.status_code == 200
    book, raw = _book(response)
    sheet = book["控辍保学个案"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[6]) for r in rows] == [
        (quiet.pk, "王小明", "劝返中"),
        (loud.pk, "刘小刚", "已报镇街（限期返校）"),
    ]
    mark = sheet.oddHeader.left.text
    assert mark.startswith("导出人：赵专干（care_officer），导出时间：")
    assert sheet.oddFooter.left.text == mark
    assert mark in raw.read("docProps/custom.xml").decode()
    logged = PersonalDataAccess.objects.filter(purpose="case_export", address="10.2.3.4")
    assert sorted(logged.values_list("subject", flat=True)) == sorted(
        [f"care.dropoutcase:{quiet.pk}", f"care.dropoutcase:{loud.pk}"]
    )


def test_the_town_exports_names_of_escalated_cases_only(client, cases, town_officer):
    quiet, loud = cases
    client.force_login(town_officer)
    book, _ = _book(client.get(reverse("care:case_export")))
    names = [r[1] for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["王*明", "刘小刚"]
    assert list(PersonalDataAccess.objects.values_list("subject", flat=True)) == [
        f"care.dropoutcase:{loud.pk}"
    ]


def test_roles_without_care_rights_get_no_export(
    client,
    cases,
    findings,  # noqa: F811
    district_leader,
    inspector,
):
    for user in (district_leader, inspector):
        client.force_login(user)
        assert client.get(reverse("care:case_export")).status_code == 404
        export = reverse("care:finding_export", args=[FindingKind.DROPOUT])
        assert client.get(f"{export}?year={YEAR}").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_a_working_list_exports_with_its_watermark(client, findings, care_officer):  # noqa: F811
    client.force_login(care_officer)
    export = reverse("care:finding_export", args=[FindingKind.DROPOUT])
    book, _ = _book(client.get(f"{export}?year={YEAR}"))
    sheet = book.active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["周辍学"]
    assert sheet.oddHeader.left.text.startswith("导出人：赵专干（care_officer），导出时间：")
    assert list(PersonalDataAccess.objects.values_list("subject", "purpose")) == [
        (f"care.finding:{findings[FindingKind.DROPOUT].pk}", "finding_export")
    ]


def test_the_bureau_reads_who_saw_a_child(
    client,
    cases,
    findings,  # noqa: F811
    care_officer,
    town_officer,
    district_admin,  # noqa: F811
):
    quiet, _ = cases
    # given reads of the child's case by the officer, and of another child by the town
    client.force_login(care_officer)
    client.get(reverse("care:case_detail", args=[quiet.pk]))
    client.get(reverse("care:case_export"))
    # when the bureau opens the child's access log
    client.force_login(district_admin)
    response = client.get(reverse("care:child_access_log", args=[quiet.person_id]), follow=True)
    # then the one access log opens on the child, listing the officer's page read and export
    # of this child's case, newest first
    assert response.redirect_chain == [(f"/audit/personal-data/?child={quiet.person_id}", 302)]
    child = f"{quiet.person.name}（控辍保学个案 #{quiet.pk}）"
    rows = [(e.user, PURPOSES[e.purpose], s.text, s.child) for e, s in response.context["rows"]]
    assert rows == [
        (care_officer, "导出个案名单", child, quiet.person_id),
        (care_officer, "查看个案", child, quiet.person_id),
    ]
    # and nobody else may open it
    for user in (care_officer, town_officer):
        client.force_login(user)
        url = reverse("care:child_access_log", args=[quiet.person_id])
        assert client.get(url).status_code == 404


def test_the_towns_page_lists_its_neglected_cases(client, cases, town_officer, district_leader):
    quiet, loud = cases
    client.force_login(town_officer)
    body = client.get(reverse("care:overview")).content.decode()
    # neither was contacted in the last 30 days: both are listed, by case number, with the
    # reason
    assert f"个案 #{quiet.pk}" in body and f"个案 #{loud.pk}" in body
    assert body.count(f"最近联系 {FOUND_ON:%Y-%m-%d}") == 2
    client.force_login(district_leader)
    assert "疏于跟进的个案" not in client.get(reverse("care:overview")).content.decode()


def test_a_case_is_neglected_only_once_30_days_have_passed(
    client, school_a, care_officer, town_officer
):
    # given a case found 2 days ago with its plan, and one found 31 days ago without
    today = timezone.localdate()
    young = open_case(make_pupil(school_a), care_officer, on=today - dt.timedelta(days=2))
    services.case_plan_set(
        case=young,
        actor=care_officer,
        version=young.version,
        on=today,
        plan="班主任每周家访一次，包村干部做家长工作",
    )
    old = open_case(
        make_pupil(school_a, name="刘小刚"), care_officer, on=today - dt.timedelta(days=31)
    )
    # when the town and the school read the overview and the list
    client.force_login(town_officer)
    overview = client.get(reverse("care:overview")).context
    client.force_login(care_officer)
    listed = client.get(reverse("care:case_list"), {"show": "neglected"}).context
    # then only the old case counts; the young one is left to its step deadline
    assert overview["totals"]["neglected"] == 1
    assert [case.pk for case in overview["neglected"]] == [old.pk]
    assert [case.pk for case in listed["page_obj"]] == [old.pk]


def test_a_masked_row_exports_no_birth_date(
    client,
    findings,  # noqa: F811
    care_officer,
    town_officer,
):
    # the birth date is the masked middle of the ID number (3703**********525X): with the
    # masked number beside it the number could be rebuilt, so it goes with the name only
    export = reverse("care:finding_export", args=[FindingKind.DROPOUT]) + f"?year={YEAR}"
    client.force_login(care_officer)
    [row] = _book(client.get(export))[0].active.iter_rows(min_row=2, values_only=True)
    assert (row[1], row[3].date()) == ("周辍学", dt.date(2012, 5, 1))
    client.force_login(town_officer)
    [row] = _book(client.get(export))[0].active.iter_rows(min_row=2, values_only=True)
    assert row[1] == "周*学" and "*" in row[2]
    assert row[3] is None
