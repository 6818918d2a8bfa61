"""学校诊断报告: read back with python-docx, figures equal the stored values (the school, its
town, the district), care counts without names; a town's run is one zip of PDFs made in the
background; scope: a unit outside the user's reach is a 404 and nothing is made."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from ruraledu.care.tests.conftest import make_pupil, open_case
from ruraledu.documents.choices import DocumentStatus
from ruraledu.documents.models import GeneratedDocument
from ruraledu.documents.progress_report import plain_figure
from ruraledu.documents.services import school_diagnosis_batch_start, school_diagnosis_generate
from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.models import IndicatorValue, TargetState
from ruraledu.indicators.services import recompute

from .helpers import docx_text, pdf_text, read_docx

YEAR = 2025


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def world(zichuan_plan, school_a, school_b, district_admin):
    FacilityRecord.objects.create(
        school=school_a, year=YEAR, sanitary_toilets=True, classrooms=10, classrooms_lighting_ok=4
    )
    FacilityRecord.objects.create(
        school=school_b, year=YEAR, sanitary_toilets=True, classrooms=10, classrooms_lighting_ok=10
    )
    pupil = make_pupil(school_a, name="王小明", year=YEAR)
    open_case(pupil, district_admin)
    recompute(years=[YEAR])
    return zichuan_plan


def row_of(docx, code: str) -> list[str]:
    for table in docx.tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            if cells[0] == code:
                return cells
    raise AssertionError(f"no row for {code}")


def test_it_states_the_school_against_its_town_and_the_district(world, school_a, town_officer):
    # when the town office generates school A's report
    document = school_diagnosis_generate(school=school_a.org_unit, actor=town_officer)
    docx = read_docx(document.file)
    text = docx_text(docx)
    # then the title, the seven parts and the version stamp
    assert document.title == f"甲镇中心小学{YEAR}学年诊断报告"
    assert docx.paragraphs[0].text == document.title
    assert [p.text for p in docx.paragraphs if p.style.name == "Heading 1"] == [
        "一、基本情况",
        "二、优质均衡资源配置",
        "三、目标指标与镇街、全区对照",
        "四、逐年变化",
        "五、差距与努力方向",
        "六、督导发现与整改",
        "七、关爱工作",
    ]
    assert f"数据版本：{document.data_version_label}" in text
    # the lighting target: school, town and district as stored
    target = TargetState.objects.get(target__code="P16-1").target
    stored = {
        v.unit.code: v
        for v in IndicatorValue.objects.filter(
            code=target.indicator_code, year=YEAR
        ).select_related("unit")
    }
    cells = row_of(docx, "P16-1")
    assert cells[2] == plain_figure(stored["SA"], target)
    assert cells[3] == f"{stored['TA'].value:.4g}"
    assert cells[4] == f"{stored['D'].value:.4g}"
    assert cells[5] == target.threshold_label and cells[6] == "未达到"
    assert float(re.match(r"[\d.]+", cells[2]).group()) == pytest.approx(40.0)
    # what it still lacks: 6 of its 10 classrooms (还需)
    assert f"{target.text}：还需 6 个" in text
    # care: the count, never the child's name
    assert "本学年控辍保学个案 1 人" in text
    assert "王小明" not in text
    assert document.org_unit == school_a.org_unit


def test_a_town_prints_its_schools_as_one_zip_of_pdfs(
    world, school_a, town_officer, django_capture_on_commit_callbacks, client
):
    # when the town office starts its run (the job runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        started = school_diagnosis_batch_start(unit=school_a.org_unit.parent, actor=town_officer)
    assert started.status == DocumentStatus.QUEUED
    document = GeneratedDocument.objects.get(pk=started.pk)
    # then one zip holds the PDF and Word file of each school of the town (school B is not)
    assert document.status == DocumentStatus.DONE and document.progress == 100
    assert document.message.startswith("共 1 所学校")
    with document.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert sorted(archive.namelist()) == [
        "SA-甲镇中心小学诊断报告.pdf",
        "Word/SA-甲镇中心小学诊断报告.docx",
    ]
    flat = re.sub(r"\s+", "", pdf_text(archive.read("SA-甲镇中心小学诊断报告.pdf")))
    assert f"甲镇中心小学{YEAR}学年诊断报告" in flat and "七、关爱工作" in flat
    assert re.sub(r"\s+", "", f"数据版本：{document.data_version_label}") in flat
    # the town office downloads it from its list
    client.force_login(town_officer)
    page = client.get(reverse("documents:document_list")).content.decode()
    assert "甲镇各校诊断报告" in page and "下载压缩包" in page
    response = client.get(reverse("documents:document_download", args=[document.pk]))
    assert response["Content-Type"] == "application/zip"


def test_the_school_page_button_generates_in_scope_only(
    world, school_a, school_b, school_clerk, outsider, client
):
    client.force_login(school_clerk)
    page = client.get(reverse("dashboards:unit_profile", args=["SA"])).content.decode()
    assert "生成诊断报告" in page
    response = client.post(reverse("documents:diagnosis_generate", args=["SA"]))
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302 and document.org_unit == school_a.org_unit
    # the outsider (school B) cannot make, see or download school A's report
    client.force_login(outsider)
    assert client.post(reverse("documents:diagnosis_generate", args=["SA"])).status_code == 404
    assert client.post(reverse("documents:diagnosis_generate", args=["TA"])).status_code == 404
    assert GeneratedDocument.objects.count() == 1
    assert client.get(reverse("documents:document_download", args=[document.pk])).status_code == 404
    listing = client.get(reverse("documents:document_list")).content.decode()
    assert f'id="doc-{document.pk}"' not in listing


def test_anonymous_is_sent_to_login(world, client):
    response = client.post(reverse("documents:diagnosis_generate", args=["SA"]))
    assert response.status_code == 302 and GeneratedDocument.objects.count() == 0


def zip_of(document) -> zipfile.ZipFile:
    with document.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def page_text(pdf: bytes) -> str:
    """The PDF's text without layout spaces and with the minute of generation blanked out
    (the two runs may straddle a minute)."""
    flat = re.sub(r"\s+", "", pdf_text(pdf))
    flat = re.sub(r"生成时间：\d{4}年\d{2}月\d{2}日\d{2}:\d{2}", "生成时间：…", flat)
    # the charts' stamp (数据版本 … 2026-12-05 06:35) carries the minute too
    return re.sub(r"\d{4}-\d{2}-\d{2}\d{2}:\d{2}", "…", flat)


def test_the_batch_pdf_of_a_school_is_the_single_school_report(
    world, school_a, town_officer, django_capture_on_commit_callbacks
):
    # when the town office generates school A alone and then its town's batch
    with django_capture_on_commit_callbacks(execute=True):
        single = school_diagnosis_generate(school=school_a.org_unit, actor=town_officer)
        batch = school_diagnosis_batch_start(unit=school_a.org_unit.parent, actor=town_officer)
    single = GeneratedDocument.objects.get(pk=single.pk)
    batch = GeneratedDocument.objects.get(pk=batch.pk)
    assert single.pdf_status == DocumentStatus.DONE and batch.status == DocumentStatus.DONE
    assert single.data_version == batch.data_version
    with single.pdf_file.open("rb") as handle:
        alone = page_text(handle.read())
    in_batch = page_text(zip_of(batch).read("SA-甲镇中心小学诊断报告.pdf"))
    # then the two PDFs say the same, word for word
    assert "七、关爱工作" in alone and "本学年控辍保学个案1人" in alone
    assert in_batch == alone


def test_one_school_failing_to_convert_does_not_fail_the_batch(
    world,
    school_a,
    school_b,
    district_admin,
    monkeypatch,
    django_capture_on_commit_callbacks,
    client,
):
    from ruraledu.documents import jobs, pdf

    def first_fails(documents, **options):
        # LibreOffice converts every file of the run but school A's (the first by path)
        return [None, *pdf.docx_to_pdf_each(documents[1:], **options)]

    monkeypatch.setattr(jobs, "docx_to_pdf_each", first_fails)
    with django_capture_on_commit_callbacks(execute=True):
        started = school_diagnosis_batch_start(
            unit=school_a.org_unit.parent.parent, actor=district_admin
        )
    document = GeneratedDocument.objects.get(pk=started.pk)
    # then the batch is done, names the school without a PDF and still holds its Word file
    assert document.status == DocumentStatus.DONE and document.progress == 100
    assert document.message.startswith("共 2 所学校")
    assert "1 所学校的 PDF 未能生成（压缩包中有其 Word 文件）：甲镇中心小学" in document.message
    archive = zip_of(document)
    assert sorted(archive.namelist()) == [
        "SB-乙镇中心小学诊断报告.pdf",
        "Word/SA-甲镇中心小学诊断报告.docx",
        "Word/SB-乙镇中心小学诊断报告.docx",
    ]
    assert "乙镇中心小学" in pdf_text(archive.read("SB-乙镇中心小学诊断报告.pdf"))
    # and the list of documents says so
    client.force_login(district_admin)
    page = client.get(reverse("documents:document_list")).content.decode()
    assert "PDF 未能生成（压缩包中有其 Word 文件）：甲镇中心小学" in page
