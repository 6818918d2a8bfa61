"""The progress report read back with python-docx: figures equal the stored values, headings,
13 sections, East Asian fonts in the styles, the version stamp; permissions and scope."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from ruraledu.documents.models import GeneratedDocument
from ruraledu.documents.periods import period_parse
from ruraledu.documents.progress_report import plain_figure
from ruraledu.documents.services import progress_report_generate
from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.models import IndicatorValue, TargetState
from ruraledu.indicators.services import recompute
from ruraledu.indicators.versions import data_version, version_label

from .helpers import evaluated_on


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(zichuan_plan, school_a, school_b):
    # lighting: school A fails (4 of 10 classrooms), school B passes; toilets everywhere
    FacilityRecord.objects.create(
        school=school_a, year=2024, sanitary_toilets=True, classrooms=10, classrooms_lighting_ok=4
    )
    FacilityRecord.objects.create(
        school=school_b, year=2024, sanitary_toilets=True, classrooms=10, classrooms_lighting_ok=10
    )
    recompute(years=[2024])
    evaluated_on(dt.date(2024, 12, 1))  # within the periods these tests report on
    return zichuan_plan


def read(document: GeneratedDocument):
    with document.file.open("rb") as handle:
        return Document(io.BytesIO(handle.read()))


def row_of(docx, code: str) -> list[str]:
    for table in docx.tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            if cells[0] == code:
                return cells
    raise AssertionError(f"no row for {code}")


def test_it_states_the_stored_figures_in_a_gongwen_word_file(world, district_admin):
    # given the stored figures of one data version
    version = data_version()
    # when the bureau generates the 2024 annual report
    document = progress_report_generate(
        plan=world, period=period_parse("2024-Y"), actor=district_admin
    )
    docx = read(document)
    text = "\n".join(p.text for p in docx.paragraphs)
    # then it is stamped with that version and the time
    assert document.data_version == version
    # (as a reader knows it; the raw version stays in the file's properties only)
    assert f"数据版本：{version_label(version)}" in text
    assert version not in text
    assert f"生成时间：{document.generated_at:%Y年%m月%d日 %H:%M}" in text
    assert docx.core_properties.subject == f"数据版本 {version_label(version)}"
    assert f"data_version={version};" in docx.core_properties.comments
    # the title, the four parts and the 13 sections of the plan
    assert docx.paragraphs[0].style.name == "Title"
    assert docx.paragraphs[0].text == f"{world.title}2024年度进展情况报告"
    level1 = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert level1 == [
        "一、总体情况",
        "二、各项重点任务进展",
        "三、本报告期的进展报告（已审核通过）",
        "四、逾期未报的单位",
    ]
    assert len([p for p in docx.paragraphs if p.style.name == "Heading 2"]) == 13
    assert len([p for p in docx.paragraphs if p.style.name == "Heading 3"]) == 41
    # the overall count equals the stored states
    states = TargetState.objects.filter(target__plan=world)
    overdue = states.filter(status="overdue").count()
    assert "方案共有目标 74 个：" in text and f"已逾期 {overdue} 个" in text
    # the lighting target: value, threshold and status as stored
    state = TargetState.objects.get(target__code="P16-1")
    district_value = IndicatorValue.objects.get(
        code=state.target.indicator_code, unit__parent=None, year=state.value_year
    )
    cells = row_of(docx, "P16-1")
    assert cells[4] == state.target.threshold_label
    assert cells[5] == state.get_status_display()
    assert cells[3] == plain_figure(district_value, state.target)
    assert float(re.match(r"[\d.]+", cells[3]).group()) == pytest.approx(
        district_value.value, abs=0.05
    )
    # where it slips: school A below the threshold with its stored value, school B not named
    school_value = IndicatorValue.objects.get(
        code=state.target.indicator_code, unit__code="SA", year=2024
    )
    town_value = IndicatorValue.objects.get(
        code=state.target.indicator_code, unit__code="TA", year=2024
    )
    target = state.target
    slips = [p.text for p in docx.paragraphs if p.text.startswith("P16-1 未达到目标值的")]
    assert slips == [
        f"P16-1 未达到目标值的镇街：甲镇 {plain_figure(town_value, target)}，"
        f"学校：甲镇中心小学 {plain_figure(school_value, target)}。"
    ]
    # real Word tables
    assert len(docx.tables) >= 41


def test_the_styles_carry_the_east_asian_fonts_and_the_page_set_up(world, district_admin):
    document = progress_report_generate(
        plan=world, period=period_parse("2024-Q4"), actor=district_admin
    )
    docx = read(document)
    expected = {
        "Normal": "仿宋_GB2312",
        "Title": "方正小标宋简体",
        "Heading 1": "黑体",
        "Heading 2": "楷体_GB2312",
    }
    for name, font in expected.items():
        fonts = docx.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == font
    assert docx.styles["Normal"].font.size.pt == 16
    section = docx.sections[0]
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [28, 26]
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert "PAGE" in footer._p.xml
    font_table = next(
        rel.target_part.blob.decode()
        for rel in docx.part.rels.values()
        if rel.reltype.endswith("/fontTable")
    )
    assert 'w:name="仿宋_GB2312"><w:altName w:val="Noto Serif CJK SC"/>' in font_table


def test_it_lists_status_changes_since_the_period_started(world, district_admin):
    FacilityRecord.objects.filter(school__org_unit__code="SA").update(classrooms_lighting_ok=10)
    recompute(years=[2024])
    from django.utils import timezone

    today = timezone.localdate()
    key = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    docx = read(
        progress_report_generate(plan=world, period=period_parse(key), actor=district_admin)
    )
    cells = row_of(docx, "P16-1")
    assert cells[2] == "已逾期" or cells[1] == "已逾期"  # the change row (code, before, after)


@pytest.mark.parametrize("persona", ["district_leader", "town_officer", "school_clerk"])
def test_only_the_bureau_generates_it(client, world, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(reverse("documents:progress_report_generate"), {"period": "2024-Y"})
    assert response.status_code == 404
    assert GeneratedDocument.objects.count() == 0


def test_anonymous_is_sent_to_login(client, world):
    response = client.post(reverse("documents:progress_report_generate"), {"period": "2024-Y"})
    assert response.status_code == 302
    assert GeneratedDocument.objects.count() == 0


def test_bureau_generates_lists_and_downloads(client, world, district_admin):
    client.force_login(district_admin)
    response = client.post(reverse("documents:progress_report_generate"), {"period": "2024-Y"})
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("documents:document_list")).content.decode()
    assert document.title in page and document.data_version_label in page
    download = client.get(reverse("documents:document_download", args=[document.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert Document(io.BytesIO(body)).paragraphs[0].text == document.title


def test_a_malformed_period_creates_nothing(client, world, district_admin):
    client.force_login(district_admin)
    client.post(reverse("documents:progress_report_generate"), {"period": "2024-Q9"})
    assert GeneratedDocument.objects.count() == 0


def test_the_district_leader_reads_the_report_but_neither_makes_nor_finalises_it(
    client, world, district_admin, district_leader
):
    """Written for the 区政府: the leader lists and downloads it, the final version too."""
    document = progress_report_generate(
        plan=world, period=period_parse("2024-Y"), actor=district_admin
    )
    client.force_login(district_admin)
    client.post(
        reverse("documents:document_final_upload", args=[document.pk]),
        {"file": _upload("定稿.docx", _docx_bytes())},
    )
    client.force_login(district_leader)
    page = client.get(reverse("dashboards:cockpit"))  # the menu leads there
    assert ("我的文档", reverse("documents:document_list")) in page.context["nav_items"]
    listing = client.get(reverse("documents:document_list")).content.decode()
    assert document.title in listing and "generate-form" not in listing
    download = client.get(reverse("documents:document_download", args=[document.pk]))
    body = b"".join(download.streaming_content)
    assert Document(io.BytesIO(body)).paragraphs[0].text == document.title
    final = client.get(reverse("documents:document_final", args=[document.pk]))
    assert Document(io.BytesIO(b"".join(final.streaming_content))).paragraphs[0].text == "定稿"
    upload = client.post(
        reverse("documents:document_final_upload", args=[document.pk]),
        {"file": _upload("改过.docx", _docx_bytes())},
    )
    assert upload.status_code == 404
    document.refresh_from_db()
    assert document.final_name == "定稿.docx"
    made = client.post(reverse("documents:progress_report_generate"), {"period": "2024-Y"})
    assert made.status_code == 404 and GeneratedDocument.objects.count() == 1


@pytest.mark.parametrize("persona", ["town_officer", "school_clerk", "outsider"])
def test_the_download_is_out_of_scope_for_anyone_below_the_district(
    client, world, district_admin, request, persona
):
    document = progress_report_generate(
        plan=world, period=period_parse("2024-Y"), actor=district_admin
    )
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("documents:document_download", args=[document.pk])).status_code == 404
    listing = client.get(reverse("documents:document_list")).content.decode()
    assert document.title not in listing and "generate-form" not in listing
    upload = client.post(
        reverse("documents:document_final_upload", args=[document.pk]),
        {"file": _upload("定稿.docx", _docx_bytes())},
    )
    assert upload.status_code == 404
    document.refresh_from_db()
    assert not document.final_file


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    docx = Document()
    docx.add_paragraph("定稿")
    docx.save(buffer)
    return buffer.getvalue()


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_final_version_sits_beside_the_generated_one(client, world, district_admin):
    document = progress_report_generate(
        plan=world, period=period_parse("2024-Y"), actor=district_admin
    )
    client.force_login(district_admin)
    # a renamed file and a macro-enabled name are refused
    client.post(
        reverse("documents:document_final_upload", args=[document.pk]),
        {"file": _upload("定稿.docx", b"%PDF-1.4 not a word file")},
    )
    client.post(
        reverse("documents:document_final_upload", args=[document.pk]),
        {"file": _upload("定稿.docm", _docx_bytes())},
    )
    document.refresh_from_db()
    assert not document.final_file
    # a real .docx is kept beside the generated file
    client.post(
        reverse("documents:document_final_upload", args=[document.pk]),
        {"file": _upload("定稿.docx", _docx_bytes())},
    )
    document.refresh_from_db()
    assert document.final_name == "定稿.docx" and document.final_uploaded_at
    final = client.get(reverse("documents:document_final", args=[document.pk]))
    assert Document(io.BytesIO(b"".join(final.streaming_content))).paragraphs[0].text == "定稿"
    assert read(document).paragraphs[0].text == document.title  # the generated one is intact


def test_the_cockpit_shows_the_button_to_the_bureau_only(
    client, world, district_admin, district_leader
):
    client.force_login(district_leader)
    assert (
        "progress-report-button" not in client.get(reverse("dashboards:cockpit")).content.decode()
    )
    client.force_login(district_admin)
    body = client.get(reverse("dashboards:cockpit")).content.decode()
    assert "生成报告（Word、PDF）" in body and reverse("documents:document_list") in body


def test_a_key_project_page_generates_that_project_s_report(client, world, district_admin):
    client.force_login(district_admin)
    page = client.get(reverse("dashboards:project_detail", args=[16])).content.decode()
    assert "项目进展报告" in page and 'name="project" value="16"' in page
    client.post(
        reverse("documents:progress_report_generate"), {"period": "2024-Y", "project": "16"}
    )
    document = GeneratedDocument.objects.get()
    docx = read(document)
    assert document.title == f"{world.title}2024年度进展情况报告（重点项目16）"
    assert [p.text for p in docx.paragraphs if p.style.name == "Heading 3"] == [
        f"16. {world.sections.get(projects__number=16).projects.get(number=16).name}"
    ]
    assert row_of(docx, "P16-1")[0] == "P16-1"
    assert document.parameters == {"project": 16}


def test_every_figure_reads_as_the_tables_print_it(world, district_admin):
    # given a school whose lighting rate has no short decimal (2 of 3 classrooms, 66.666…%)
    FacilityRecord.objects.filter(school__org_unit__code="SA").update(
        classrooms=3, classrooms_lighting_ok=2
    )
    recompute(years=[2024])
    docx = read(
        progress_report_generate(plan=world, period=period_parse("2024-Y"), actor=district_admin)
    )
    cells = [c.text for t in docx.tables for r in t.rows for c in r.cells]
    captions = [d.get("descr") or "" for d in docx.element.body.iter(qn("wp:docPr"))]
    everything = [p.text for p in docx.paragraphs] + cells + captions
    # then no figure anywhere carries more decimals than the tables' two
    assert [t for t in everything if re.search(r"\d\.\d{3,}", t)] == []
    slip = next(p.text for p in docx.paragraphs if p.text.startswith("P16-1 未达到目标值的"))
    assert "甲镇中心小学 66.67%" in slip


def test_a_title_over_the_limit_is_told_on_the_page_and_nothing_is_kept(
    client, world, district_admin, media_root
):
    # given a plan whose name (200 characters, the most a plan name may have) makes the
    # report's title longer than a document title may be
    world.title = "淄" * 200
    world.save(update_fields=["title"])
    client.force_login(district_admin)
    # when the bureau generates the annual report
    response = client.post(
        reverse("documents:progress_report_generate"), {"period": "2024-Y"}, follow=True
    )
    # then the page says the title is too long and names the limit; nothing is kept
    assert response.status_code == 200
    body = response.content.decode()
    assert "标题不能超过 200 字" in body and "本次为 212 字" in body
    assert GeneratedDocument.objects.count() == 0
    assert not list(media_root.rglob("*.docx"))


def test_a_city_s_district_leader_reads_the_reports_of_their_district_s_plan(
    city, district_a, district_b, district_admin
):
    """On an install serving a city a report is kept at its plan's district: the district's
    leader reads it, the other district's and the district's towns do not."""
    from ruraledu.accounts.choices import Role
    from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
    from ruraledu.reporting.tests.factories import PlanFactory

    plan = PlanFactory(org_unit=district_a)
    document = GeneratedDocument.objects.create(
        kind="progress_report",
        title="A区进展情况报告",
        plan=plan,
        org_unit=plan.org_unit,
        generated_at=timezone.now(),
        generated_by=district_admin,
    )

    def reader(role, unit):
        user = UserFactory()
        RoleAssignmentFactory(user=user, role=role, org_unit=unit)
        return user

    town_a = district_a.children.get()
    readers = {
        "A区领导": reader(Role.DISTRICT_LEADER, district_a),
        "B区领导": reader(Role.DISTRICT_LEADER, district_b),
        "A镇": reader(Role.TOWN_OFFICER, town_a),
        "市领导": reader(Role.DISTRICT_LEADER, city),
    }
    seen = {
        name: GeneratedDocument.objects.for_user(user).filter(pk=document.pk).exists()
        for name, user in readers.items()
    }
    assert seen == {"A区领导": True, "B区领导": False, "A镇": False, "市领导": True}


def test_the_generated_report_is_kept_at_its_plan_s_unit(world, district, district_admin):
    world.org_unit = district
    world.save(update_fields=["org_unit"])
    document = progress_report_generate(
        plan=world, period=period_parse("2024-Y"), actor=district_admin
    )
    assert document.org_unit == district
