"""四查三比对 pages: who sees which list and names, every child shown by name logged, the
clear form and the case button, and out-of-scope requests that are a 404 and change nothing."""

import pytest
from django.urls import reverse

from ruraledu.core.models import PersonalDataAccess
from ruraledu.spreadsheets.testing import new_id

from ..choices import FindingKind, ListKind
from ..models import DropoutCase, Finding
from .conftest import YEAR, make_pupil
from .test_crosscheck import put_on, run, village_a  # noqa: F401 (fixture)


@pytest.fixture
def findings(school_a, village_a):  # noqa: F811
    put_on(ListKind.HOUSEHOLD, new_id(), "陈未入", village_a)
    make_pupil(school_a, name="周辍学", year=YEAR - 1, grade=4)
    run()
    return {f.kind: f for f in Finding.objects.all()}


def url(kind):
    return f"{reverse('care:finding_list', args=[kind])}?year={YEAR}"


def test_the_town_office_reads_its_list_by_name_and_each_child_is_logged(
    client, findings, town_officer
):
    client.force_login(town_officer)
    body = client.get(url(FindingKind.NOT_ENROLLED), REMOTE_ADDR="10.0.0.7").content.decode()
    assert "陈未入" in body and "建档（一人一案）" in body
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.subject, access.purpose, access.address) == (
        town_officer,
        f"care.finding:{findings[FindingKind.NOT_ENROLLED].pk}",
        "finding_list",
        "10.0.0.7",
    )
    # a pupil placed at a school: the town office sees the name masked, nothing logged
    body = client.get(url(FindingKind.DROPOUT)).content.decode()
    assert "周*学" in body and "周辍学" not in body
    assert PersonalDataAccess.objects.count() == 1


def test_the_school_officer_sees_its_dropouts_by_name_and_not_the_towns_list(
    client, findings, care_officer
):
    client.force_login(care_officer)
    assert "周辍学" in client.get(url(FindingKind.DROPOUT)).content.decode()
    assert "陈未入" not in client.get(url(FindingKind.NOT_ENROLLED)).content.decode()
    assert list(PersonalDataAccess.objects.values_list("subject", flat=True)) == [
        f"care.finding:{findings[FindingKind.DROPOUT].pk}"
    ]


def test_a_read_only_role_sees_counts_and_no_list(client, findings, district_leader):
    client.force_login(district_leader)
    overview = client.get(reverse("care:finding_overview") + f"?year={YEAR}")
    assert overview.status_code == 200
    body = overview.content.decode()
    assert "甲镇中心小学" in body and "周" not in body and "陈" not in body
    assert client.get(url(FindingKind.DROPOUT)).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_out_of_scope_is_a_404_and_changes_nothing(client, findings, outsider):
    finding = findings[FindingKind.DROPOUT]
    client.force_login(outsider)
    assert client.get(reverse("care:finding_clear", args=[finding.pk])).status_code == 404
    cleared = client.post(
        reverse("care:finding_clear", args=[finding.pk]),
        {"reason": "moved_away", "evidence": "已迁往外省，户口迁移证明"},
    )
    opened = client.post(reverse("care:finding_open_case", args=[finding.pk]))
    assert (cleared.status_code, opened.status_code) == (404, 404)
    assert Finding.objects.get(pk=finding.pk).clear_reason == ""
    assert not DropoutCase.objects.exists()
    assert "周辍学" not in client.get(url(FindingKind.DROPOUT)).content.decode()


def test_an_officer_opens_a_case_from_the_list_and_a_second_press_finds_it(
    client, findings, care_officer
):
    finding = findings[FindingKind.DROPOUT]
    client.force_login(care_officer)
    first = client.post(reverse("care:finding_open_case", args=[finding.pk]))
    second = client.post(reverse("care:finding_open_case", args=[finding.pk]))
    case = DropoutCase.objects.get()
    assert first.url == second.url == reverse("care:case_detail", args=[case.pk])
    assert (case.source, case.category, case.school_id) == (
        "cross_check",
        "suspected_dropout",
        finding.school_id,
    )
    assert (
        f"个案：{case.get_status_display()}"
        in client.get(url(FindingKind.DROPOUT)).content.decode()
    )


def test_the_clear_form_keeps_the_child_under_cleared(client, findings, town_officer):
    finding = findings[FindingKind.NOT_ENROLLED]
    client.force_login(town_officer)
    refused = client.post(
        reverse("care:finding_clear", args=[finding.pk]), {"reason": "deceased", "evidence": "无"}
    )
    assert refused.status_code == 400 and "至少 6 个字" in refused.content.decode()
    done = client.post(
        reverse("care:finding_clear", args=[finding.pk]),
        {"reason": "studying_elsewhere", "evidence": "在淄博市张店区某小学就读，学籍号已核实"},
    )
    assert done.status_code == 302
    assert "陈未入" not in client.get(url(FindingKind.NOT_ENROLLED)).content.decode()
    body = client.get(url(FindingKind.NOT_ENROLLED) + "&cleared=1").content.decode()
    assert "陈未入" in body and "已核销：在外地或区外学校就读" in body


def test_the_clearing_evidence_is_shown_only_with_the_name(
    client, findings, care_officer, town_officer
):
    # the evidence asks for the school and 学籍号 the child was found at: an ID number
    finding = findings[FindingKind.DROPOUT]
    number = "G" + finding.student.id_number()
    evidence = f"已转入外省某小学就读，{number}，班主任电话核实"
    client.force_login(care_officer)
    done = client.post(
        reverse("care:finding_clear", args=[finding.pk]),
        {"reason": "studying_elsewhere", "evidence": evidence},
    )
    assert done.status_code == 302
    cleared = url(FindingKind.DROPOUT) + "&cleared=1"
    assert evidence in client.get(cleared).content.decode()
    # the town office sees the child masked, and so not what the school wrote about the child
    client.force_login(town_officer)
    body = client.get(cleared).content.decode()
    assert "周*学" in body and "已核销：在外地或区外学校就读" in body
    assert evidence not in body and number not in body


def test_a_masked_list_is_not_in_the_order_of_the_hidden_names(
    client, findings, school_a, care_officer, town_officer
):
    # given two dropouts at A, the one found first named 阿小二, the other 赵大一 (whose
    # name sorts first)
    make_pupil(school_a, name="王辍学", year=YEAR - 1, grade=5)
    run()
    first, second = Finding.objects.filter(kind=FindingKind.DROPOUT).order_by("pk")
    Finding.objects.filter(pk=first.pk).update(name="阿小二")
    Finding.objects.filter(pk=second.pk).update(name="赵大一")
    # the school, which sees the names, reads them in name order
    client.force_login(care_officer)
    body = client.get(url(FindingKind.DROPOUT)).content.decode()
    assert body.index("赵大一") < body.index("阿小二")
    # the town office sees them masked, in the order they were found
    client.force_login(town_officer)
    body = client.get(url(FindingKind.DROPOUT)).content.decode()
    assert body.index("阿*二") < body.index("赵*一")


def test_only_the_bureau_starts_a_run_from_the_page(client, findings, town_officer, district_admin):
    client.force_login(town_officer)
    assert client.post(reverse("care:cross_check_start"), {"year": YEAR}).status_code == 404
    client.force_login(district_admin)
    response = client.post(reverse("care:cross_check_start"), {"year": YEAR})
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
