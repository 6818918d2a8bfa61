"""The bureau's admin downloads the quarterly report in Word and PDF from the cockpit, in a
real browser (Playwright driving Debian's Chromium), and the files are read back."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from conftest import browser_login
from ruraledu.accounts.tests.factories import PASSWORD
from ruraledu.documents.periods import period_default
from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.models import TargetState
from ruraledu.indicators.services import recompute

from .helpers import evaluated_on, pdf_fonts, pdf_text

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def district_data(zichuan_plan, school_a, school_b):
    FacilityRecord.objects.create(
        school=school_a, year=2024, sanitary_toilets=True, classrooms=10, classrooms_lighting_ok=4
    )
    recompute(years=[2024])
    # evaluated within the last quarter, the one the report covers by default
    evaluated_on(period_default(timezone.localdate()).end)
    return zichuan_plan


def test_the_admin_downloads_the_quarterly_report_in_word_and_pdf_from_the_cockpit(
    page, district_admin, district_data, tmp_path
):
    browser_login(page, "district_admin", PASSWORD)
    page.goto(f"{page.base}{reverse('dashboards:cockpit')}")
    page.get_by_test_id("progress-report-button").click()
    # the last quarter is chosen; generate
    period = period_default(timezone.localdate())
    assert page.locator("#id_period").input_value() == period.key
    page.get_by_role("button", name="生成进展报告").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("[data-testid=documents] tbody tr").first
    title = f"{district_data.title}{period.label}进展情况报告"
    assert title in row.inner_text()
    # Word
    with page.expect_download() as word:
        row.get_by_test_id("download-file").click()
    word_path = Path(tmp_path) / "report.docx"
    word.value.save_as(word_path)
    assert word.value.suggested_filename.startswith(title) and word_path.suffix == ".docx"
    docx = Document(str(word_path))
    assert docx.paragraphs[0].text == title
    overdue = TargetState.objects.filter(target__plan=district_data, status="overdue").count()
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "方案共有目标 74 个：" in text and f"已逾期 {overdue} 个" in text
    # PDF (made in the background once the Word file was kept)
    page.reload()
    row = page.locator("[data-testid=documents] tbody tr").first
    with page.expect_download() as pdf:
        row.get_by_test_id("download-pdf").click()
    pdf_path = Path(tmp_path) / "report.pdf"
    pdf.value.save_as(pdf_path)
    assert pdf.value.suggested_filename.endswith(".pdf")
    data = pdf_path.read_bytes()
    flat = re.sub(r"\s+", "", pdf_text(data))
    assert re.sub(r"\s+", "", title) in flat
    assert "方案共有目标74个：" in flat and f"已逾期{overdue}个" in flat
    assert "NotoSerifCJK" in pdf_fonts(data)


def test_a_page_prints_without_navigation_and_its_charts_fit(page, district_admin, district_data):
    browser_login(page, "district_admin", PASSWORD)
    page.goto(f"{page.base}{reverse('dashboards:cockpit')}")
    page.emulate_media(media="print")
    assert page.locator("nav.site-nav").is_hidden()
    assert page.get_by_test_id("progress-report-button").is_hidden()
    data = page.pdf(format="A4")
    text = pdf_text(data)
    assert "驾驶舱" in text
    assert "乡村教育振兴监测督导平台" not in text  # the navigation's brand
    width = page.evaluate("document.documentElement.clientWidth")
    for box in page.locator("[data-chart]").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)"
    ):
        assert box <= width


def test_the_leader_reads_the_report_on_a_phone(
    page, district_admin, district_leader, district_data, tmp_path
):
    from conftest import fits_phone
    from ruraledu.documents.services import progress_report_generate

    period = period_default(timezone.localdate())
    document = progress_report_generate(plan=district_data, period=period, actor=district_admin)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "district_leader", PASSWORD)
    # the menu leads to 我的文档
    page.locator(".navbar-toggler").click()
    page.get_by_role("button", name="方案与部门").click()
    page.get_by_role("link", name="我的文档").click()
    assert fits_phone(page)
    row = page.locator("[data-testid=documents] tbody tr").first
    assert document.title in row.inner_text() and period.label in row.inner_text()
    # the download is on screen, not past the table's right edge
    button = row.get_by_test_id("download-file")
    box = button.bounding_box()
    assert box["x"] + box["width"] <= 390
    with page.expect_download() as word:
        button.click()
    path = Path(tmp_path) / "report.docx"
    word.value.save_as(path)
    assert Document(str(path)).paragraphs[0].text == document.title
    assert page.get_by_test_id("generate-form").count() == 0
