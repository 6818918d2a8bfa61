"""PDF from the same .docx: made in the background after the Word file is kept, read back
with pdftotext and pdffonts; a failure leaves the Word file downloadable."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from ruraledu.documents import jobs
from ruraledu.documents.choices import DocumentStatus
from ruraledu.documents.models import GeneratedDocument
from ruraledu.documents.pdf import PdfUnavailable
from ruraledu.documents.periods import period_parse
from ruraledu.documents.services import progress_report_generate
from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.models import TargetState
from ruraledu.indicators.services import recompute

from .helpers import evaluated_on, pdf_fonts, pdf_pages, pdf_text


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def world(zichuan_plan, school_a, school_b):
    FacilityRecord.objects.create(
        school=school_a, year=2024, sanitary_toilets=True, classrooms=10, classrooms_lighting_ok=4
    )
    recompute(years=[2024])
    evaluated_on(dt.date(2024, 12, 1))  # within the periods these tests report on
    return zichuan_plan


def test_the_pdf_is_the_same_report_in_chinese_fonts(
    world, district_admin, django_capture_on_commit_callbacks
):
    # when the bureau generates the annual report (the PDF job runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        document = progress_report_generate(
            plan=world, period=period_parse("2024-Y"), actor=district_admin
        )
    document.refresh_from_db()
    # then the PDF is kept beside the Word file
    assert document.pdf_status == DocumentStatus.DONE
    with document.pdf_file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    flat = re.sub(r"\s+", "", text)
    # the title, the parts, the version stamp and the figures as stored
    assert re.sub(r"\s+", "", document.title) in flat
    assert "一、总体情况" in flat and "四、逾期未报的单位" in flat
    assert re.sub(r"\s+", "", f"数据版本：{document.data_version_label}") in flat
    overdue = TargetState.objects.filter(target__plan=world, status="overdue").count()
    assert "方案共有目标74个：" in flat and f"已逾期{overdue}个" in flat
    assert "P16-1" in flat
    # page numbers "— n —" on every page, Noto CJK embedded for the official font names
    pages = pdf_pages(data)
    assert pages > 3
    for number in (1, pages):
        assert re.search(rf"—\s*{number}\s*—", text)
    fonts = pdf_fonts(data)
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts


def test_a_failed_conversion_keeps_the_word_file(
    world, district_admin, monkeypatch, django_capture_on_commit_callbacks, client
):
    def broken(data):
        raise PdfUnavailable("LibreOffice 未能把文档转换为 PDF。")

    monkeypatch.setattr(jobs, "docx_to_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        document = progress_report_generate(
            plan=world, period=period_parse("2024-Y"), actor=district_admin
        )
    document = GeneratedDocument.objects.get(pk=document.pk)
    assert document.pdf_status == DocumentStatus.FAILED and not document.pdf_file
    client.force_login(district_admin)
    page = client.get(reverse("documents:document_list")).content.decode()
    assert "PDF 生成失败：LibreOffice 未能把文档转换为 PDF。" in page
    assert client.get(reverse("documents:document_pdf", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:document_download", args=[document.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["town_officer", "school_clerk", "outsider"])
def test_the_pdf_is_out_of_scope_for_anyone_below_the_district(
    client, world, district_admin, request, persona, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = progress_report_generate(
            plan=world, period=period_parse("2024-Y"), actor=district_admin
        )
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("documents:document_pdf", args=[document.pk])).status_code == 404
    client.force_login(district_admin)
    response = client.get(reverse("documents:document_pdf", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
