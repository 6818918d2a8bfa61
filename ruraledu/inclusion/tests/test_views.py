"""Pages: counts for every role in scope, names for care roles (each read logged), disability
details only with personal-data rights, out of scope a 404."""

import datetime as dt

import pytest
from django.urls import reverse

from ruraledu.core.models import PersonalDataAccess

from ..choices import DecisionKind
from ..models import HomeVisit, PlacementDecision
from .conftest import YEAR, enrol, listed


@pytest.fixture
def town_children(village_a, village_b, school_a):
    """Town A: 孙小云 unplaced (limb, grade 2), 周小雨 送教上门 at school A; town B: 吴小风 unplaced."""
    unplaced, _ = listed("孙小云", village_a, detail="肢体残疾二级")
    home, number = listed("周小雨", village_a, detail="智力残疾一级")
    enrolment = enrol(number, "周小雨", school_a, placement="home")
    other, _ = listed("吴小风", village_b)
    return unplaced, enrolment, other


def url(name, *args):
    return f"{reverse(f'inclusion:{name}', args=args)}?year={YEAR}"


def test_the_town_office_sees_its_unplaced_children_by_name_without_disability_details(
    client, town_children, town_officer
):
    client.force_login(town_officer)
    body = client.get(url("unplaced")).content.decode()
    assert "孙小云" in body and "吴小风" not in body
    assert "肢体残疾" not in body  # details are for the bureau and the child's own school
    # the year only: with month and day beside the masked ID number, it could be rebuilt
    assert "2015年出生" in body and "2015年6月" not in body
    unplaced = town_children[0]
    logged = PersonalDataAccess.objects.get(user=town_officer)
    assert (logged.subject, logged.purpose) == (
        f"care.listentry:{unplaced.pk}",
        "inclusion_unplaced",
    )


def test_the_bureau_sees_the_details(client, town_children, district_admin):
    client.force_login(district_admin)
    body = client.get(url("unplaced")).content.decode()
    assert "肢体残疾二级" in body and "吴小风" in body


def test_read_only_roles_see_counts_and_never_names(client, town_children, district_leader):
    client.force_login(district_leader)
    overview = client.get(url("overview"))
    assert overview.status_code == 200
    body = overview.content.decode()
    assert "孙小云" not in body and 'data-testid="total-unplaced">2 人' in body
    for name in ("unplaced", "child_list", "home_list"):
        assert client.get(url(name)).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_another_school_gets_a_404_for_a_child_and_changes_nothing(client, town_children, outsider):
    unplaced, enrolment, _ = town_children
    client.force_login(outsider)
    key = f"p{enrolment.person_id}"
    assert client.get(url("home_detail", key)).status_code == 404
    response = client.post(
        url("home_detail", key),
        {"on": "2025-10-10", "teachers": "王老师", "content": "识字", "hours": "2"},
    )
    assert response.status_code == 404
    assert client.get(url("decide", unplaced.pk)).status_code == 404
    assert not HomeVisit.objects.exists()


def test_the_school_logs_a_visit_and_sees_the_count_rise(client, town_children, school_clerk):
    _, enrolment, _ = town_children
    key = f"p{enrolment.person_id}"
    client.force_login(school_clerk)
    page = client.get(url("home_detail", key)).content.decode()
    assert 'data-testid="home-done">0<' in page
    response = client.post(
        url("home_detail", key),
        {"on": "2025-10-10", "teachers": "王老师", "content": "识字", "hours": "2"},
    )
    assert response.status_code == 302
    page = client.get(url("home_detail", key)).content.decode()
    assert 'data-testid="home-done">1<' in page and "识字" in page
    refused = client.post(
        url("home_detail", key),
        {"on": "2025-10-11", "teachers": "王老师", "content": "识字", "hours": "12"},
    )
    assert refused.status_code == 400 and "8" in refused.content.decode()


def test_a_childs_visits_list_only_those_recorded_where_the_viewer_works_care(
    client, town_children, school_clerk, district_admin, outsider, school_b
):
    # given a visit school B recorded for the child (who was taught there before school A)
    _, enrolment, _ = town_children
    key = f"p{enrolment.person_id}"
    HomeVisit.objects.create(
        year=YEAR,
        id_index=enrolment.person.id_index,
        school=school_b,
        unit=school_b.org_unit,
        on=dt.date(2025, 9, 20),
        teachers="钱老师",
        content="乙校的送教内容",
        hours=2,
        recorded_by=outsider,
    )
    # when school A opens the child's visits, then B's visit is counted but not shown
    client.force_login(school_clerk)
    page = client.get(url("home_detail", key)).content.decode()
    assert 'data-testid="home-done">1<' in page and 'data-testid="home-visits-elsewhere">1<' in page
    assert "乙校的送教内容" not in page and "钱老师" not in page
    # and the bureau, whose reach covers both schools, sees it
    client.force_login(district_admin)
    page = client.get(url("home_detail", key)).content.decode()
    assert "乙校的送教内容" in page and "home-visits-elsewhere" not in page


def test_the_town_records_a_decision_and_the_child_leaves_the_unplaced_list(
    client, town_children, town_officer, school_a
):
    unplaced = town_children[0]
    client.force_login(town_officer)
    refused = client.post(
        url("decide", unplaced.pk),
        {"kind": DecisionKind.DEFERRED, "decided_on": "2025-10-08", "reason": "术后康复"},
    )
    assert refused.status_code == 400
    assert "须上传依据材料" in refused.content.decode()
    response = client.post(
        url("decide", unplaced.pk),
        {"kind": DecisionKind.MAINSTREAM, "decided_on": "2025-10-08", "school": school_a.pk},
    )
    assert response.status_code == 302
    assert PlacementDecision.objects.get().school == school_a
    assert "孙小云" not in client.get(url("unplaced")).content.decode()


def test_the_behind_list_names_the_children_short_of_visits(client, town_children, care_officer):
    client.force_login(care_officer)
    body = client.get(url("home_list") + "&behind=1").content.decode()
    # the school year 2025 has ended: 9 term months × 2 visits due, none made
    assert "周小雨" in body and "差 18 次" in body


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_deferral_keeps_its_evidence_as_a_file_seen_only_with_personal_rights(
    client, town_children, town_officer, district_admin
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    unplaced = town_children[0]
    client.force_login(town_officer)
    decide = url("decide", unplaced.pk)
    fields = {"kind": DecisionKind.DEFERRED, "decided_on": "2025-10-08", "reason": "术后康复"}
    # a renamed program is refused, naming the problem, and nothing is stored
    program = SimpleUploadedFile("诊断证明.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    refused = client.post(decide, {**fields, "evidence_file": program})
    assert refused.status_code == 400 and "Windows 可执行程序" in refused.content.decode()
    assert not PlacementDecision.objects.exists()
    # the scanned certificate is stored through the evidence checks
    scan = SimpleUploadedFile("区医院诊断证明.pdf", PDF, content_type="application/pdf")
    assert client.post(decide, {**fields, "evidence_file": scan}).status_code == 302
    decision = PlacementDecision.objects.get()
    assert (decision.evidence_name, decision.evidence_type, decision.evidence_size) == (
        "区医院诊断证明.pdf",
        "application/pdf",
        len(PDF),
    )
    assert decision.evidence_file.name.startswith("inclusion/decisions/")
    # a change without a new file keeps it
    changed = {**fields, "reason": "术后康复，预计下学期入学", "version": decision.version}
    assert client.post(decide, changed).status_code == 302
    decision.refresh_from_db()
    assert decision.evidence_name == "区医院诊断证明.pdf" and decision.version == 2
    # the town office (no right to disability details) cannot open it
    file_url = reverse("inclusion:decision_file", args=[decision.pk])
    assert client.get(file_url).status_code == 404
    # the bureau can, and the read is logged against the child
    client.force_login(district_admin)
    response = client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert (
        PersonalDataAccess.objects.filter(user=district_admin, purpose="inclusion_file").count()
        == 1
    )


def test_the_list_exports_watermarked_masked_where_needed_and_logged(
    client, town_children, care_officer, town_officer
):
    import io

    import openpyxl

    # when the town office exports its town's children (names, no disability details)
    client.force_login(town_officer)
    response = client.get(url("child_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    # then the town's two children, not town B's, and no disability details
    assert set(rows) == {"孙小云", "周小雨"}
    assert rows["孙小云"][8] is None and rows["周小雨"][8] is None
    assert sheet.oddHeader.left.text.startswith("导出人：")
    assert PersonalDataAccess.objects.filter(purpose="inclusion_export").count() == 2
    # the school's officer sees its own pupil's details in the export
    client.force_login(care_officer)
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(url("child_export")).streaming_content))
    ).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["周小雨"][8] == "智力残疾一级"


def test_read_only_roles_get_no_export(client, town_children, district_leader):
    client.force_login(district_leader)
    assert client.get(url("child_export")).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_a_deferrals_reason_and_evidence_are_not_shown_to_the_town_office(
    client, town_children, town_officer, district_admin
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    unplaced = town_children[0]
    decide = url("decide", unplaced.pk)
    # the bureau records a deferral with its reason and the number of the expert opinion
    client.force_login(district_admin)
    scan = SimpleUploadedFile("评估意见.pdf", PDF, content_type="application/pdf")
    fields = {
        "kind": DecisionKind.DEFERRED,
        "decided_on": "2025-10-08",
        "reason": "重度肢体残疾术后康复",
        "evidence": "川残教评〔2025〕7号",
    }
    assert client.post(decide, {**fields, "evidence_file": scan}).status_code == 302
    body = client.get(decide).content.decode()
    assert "重度肢体残疾术后康复" in body and "川残教评〔2025〕7号" in body
    # the town office decides placements but holds no right to disability details
    client.force_login(town_officer)
    body = client.get(decide).content.decode()
    assert "重度肢体残疾术后康复" not in body and "川残教评〔2025〕7号" not in body
    assert "留空则保留原内容" in body
    # saving again with those fields left blank keeps what is on file
    decision = PlacementDecision.objects.get()
    changed = {**fields, "reason": "", "evidence": "", "decided_on": "2025-10-09"}
    assert client.post(decide, {**changed, "version": decision.version}).status_code == 302
    decision.refresh_from_db()
    assert (decision.reason, decision.evidence, decision.version) == (
        "重度肢体残疾术后康复",
        "川残教评〔2025〕7号",
        2,
    )
    assert str(decision.decided_on) == "2025-10-09"
