"""Notices from the engine: the 整改通知书 and the 限期返校通知书 as Word and PDF, read back;
who may download them (out of reach is a 404), the child's name only to those who may print
the notice, and every such download logged."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from docx import Document

from ruraledu.care.choices import CaseStatus
from ruraledu.care.models import ReturnNotice
from ruraledu.care.tests.conftest import care_officer, make_pupil, open_case, walk  # noqa: F401
from ruraledu.core.models import PersonalDataAccess
from ruraledu.supervision import services as supervision
from ruraledu.supervision.tests.conftest import (  # noqa: F401
    _calendar,
    inspector,
    items_of,
    kind,
    signed_visit_with_findings,
)

from .helpers import docx_text, pdf_text


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def rectification(school_a, inspector, kind):  # noqa: F811
    _, findings = signed_visit_with_findings(school_a, inspector, kind)
    items = items_of(findings, inspector)
    return supervision.notice_issue(actor=inspector, items=items, issued_on=dt.date(2025, 9, 23))


@pytest.fixture
def return_notice(school_a, care_officer, town_officer):  # noqa: F811
    case = open_case(make_pupil(school_a, name="王小明"), care_officer)
    walk(case, care_officer, CaseStatus.ESCALATED_TOWN, town_actor=town_officer)
    return ReturnNotice.objects.get(case=case)


def get(client, name, pk, fmt):
    return client.get(reverse(f"documents:{name}_download", args=[pk, fmt]))


def test_the_rectification_notice_in_word_and_pdf(client, rectification, school_clerk):
    # the school's clerk downloads the notice sent to the school
    client.force_login(school_clerk)
    response = get(client, "rectification_notice", rectification.pk, "docx")
    assert response.status_code == 200
    docx = Document(io.BytesIO(response.content))
    texts = [p.text for p in docx.paragraphs]
    assert texts[:3] == ["督导整改通知书", rectification.label, "甲镇中心小学："]
    assert texts[-2:] == ["区教体局督导室", "2025年9月23日"]
    assert "2025年9月22日，责任督学对你校进行了经常性督导" in texts[3]
    rows = [[c.text for c in r.cells] for r in docx.tables[0].rows]
    assert rows[1] == [
        "1",
        "安全管理",
        "整改问题1",
        "《中小学校安全管理办法》",
        "2025-10-20",
        "王主任",
    ]
    assert len(rows) == 3
    pdf = get(client, "rectification_notice", rectification.pk, "pdf")
    assert pdf["Content-Type"] == "application/pdf"
    flat = re.sub(r"\s+", "", pdf_text(pdf.content))
    assert "督导整改通知书" in flat and re.sub(r"\s+", "", rectification.label) in flat
    assert "整改问题2" in flat


def test_the_rectification_notice_is_not_found_out_of_reach(client, rectification, outsider):
    client.force_login(outsider)
    assert get(client, "rectification_notice", rectification.pk, "docx").status_code == 404
    assert get(client, "rectification_notice", rectification.pk, "pdf").status_code == 404


def test_the_return_notice_names_the_child_to_the_town_and_logs_it(
    client, return_notice, town_officer
):
    client.force_login(town_officer)
    response = get(client, "return_notice", return_notice.pk, "docx")
    assert response.status_code == 200
    text = docx_text(Document(io.BytesIO(response.content)))
    assert text.startswith("限期返校通知书\n甲镇教育办〔")
    assert "王大山（王小明的监护人）：" in text
    due = return_notice.return_by
    assert f"现通知您于{due.year}年{due.month}月{due.day}日前送王小明返校就读" in text
    assert "甲镇人民政府（教育办）" in text
    # the receipt carries the heading's number, not a shorter one
    number = f"甲镇教育办〔{return_notice.year}〕{return_notice.number}号"
    assert f"{number}\n" in text and f"送达回执　通知书编号：{number}" in text
    log = PersonalDataAccess.objects.get(purpose="notice_download")
    assert log.user == town_officer and log.subject == f"care.dropoutcase:{return_notice.case_id}"
    pdf = get(client, "return_notice", return_notice.pk, "pdf")
    assert "王小明" in pdf_text(pdf.content)
    assert PersonalDataAccess.objects.filter(purpose="notice_download").count() == 2


@pytest.mark.parametrize("persona", ["district_leader", "school_clerk", "outsider"])
def test_the_return_notice_is_not_found_for_roles_that_may_not_print_it(
    client, return_notice, request, persona
):
    client.force_login(request.getfixturevalue(persona))
    assert get(client, "return_notice", return_notice.pk, "docx").status_code == 404
    assert not PersonalDataAccess.objects.filter(purpose="notice_download").exists()
