"""A clerk who is also another school's inspector exports everything in reach from a phone
(390 px): the file is made in the background, listed under 我的导出 and downloaded, with
the clerk's own school in clear and the inspected school masked."""

import io

import openpyxl
import pytest

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD

from .conftest import A_ID, YEAR

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def test_a_whole_scope_export_is_made_listed_and_downloaded_on_a_phone(page, two_hats):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, two_hats.username, PASSWORD)
    page.goto(f"{page.base}/spreadsheets/")
    assert fits_phone(page)
    page.select_option("#id_kind", "students")
    page.select_option("#id_year", str(YEAR))
    page.get_by_role("button", name="生成导出文件").click()
    page.wait_for_load_state("networkidle")
    assert "完成后在“我的导出”中下载" in page.content()
    link = page.get_by_role("link", name="下载（2 行）")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith(f"学生名册-{YEAR}学年-")
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    names = {row[6]: (row[1], row[2]) for row in rows}
    assert names["SA"] == (A_ID, "张小明") and names["SB"][1] == "李*红"
    assert fits_phone(page)
