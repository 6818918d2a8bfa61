"""优质均衡 自评报告: the per-school resource table and the 差异系数 table equal the stored
values; problems and measures come from the failing schools and open items; the bureau's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ruraledu.documents.models import GeneratedDocument
from ruraledu.documents.services import self_assessment_generate
from ruraledu.indicators.models import IndicatorValue

from .helpers import docx_text, read_docx

YEAR = 2025
# school A: r2 (骨干教师 per 100 pupils) 0.5 against 1.0 with 400 pupils: 2 teachers short
VALUES = {
    "r1": (5.0, 4.2, "pass", 20, 400),
    "r2": (0.5, 1.0, "fail", 2, 400),
    "r3": (1.0, 0.9, "pass", 4, 400),
    "r4": (5.0, 4.5, "pass", 2000, 400),
    "r5": (8.0, 7.5, "pass", 3200, 400),
    "r6": (2500.0, 2000, "pass", 1000000, 400),
    "r7": (2.5, 2.3, "pass", 10, 400),
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def stored(zichuan_plan, school_a, district):
    now = timezone.now()
    for key, (value, threshold, mark, numerator, denominator) in VALUES.items():
        IndicatorValue.objects.create(
            code=f"yzjh_{key}",
            unit=school_a.org_unit,
            year=YEAR,
            value=value,
            numerator=numerator,
            denominator=denominator,
            details={"threshold": threshold, "mark": mark},
            computed_at=now,
        )
        IndicatorValue.objects.create(
            code=f"yzjh_cv_{key}_primary",
            unit=district,
            year=YEAR,
            value=0.321,
            details={"limit": 0.5, "mark": "pass"},
            computed_at=now,
        )
    IndicatorValue.objects.create(
        code="yzjh_r1", unit=district, year=YEAR, value=5.0, computed_at=now
    )
    IndicatorValue.objects.create(
        code="yzjh_school_compliance_rate",
        unit=school_a.org_unit,
        year=YEAR,
        value=0,
        numerator=0,
        denominator=1,
        details={"verdict": False, "partial": 0.85},
        computed_at=now,
    )
    return school_a


def test_it_tables_the_stored_resource_values_and_coefficients(stored, district_admin):
    document = self_assessment_generate(actor=district_admin, framework="yzjh", year=YEAR)
    docx = read_docx(document.file)
    text = docx_text(docx)
    assert document.title == f"示例区县域义务教育优质均衡发展自评报告（{YEAR}学年）"
    assert [p.text for p in docx.paragraphs if p.style.name == "Heading 1"] == [
        "一、基本情况",
        "二、评估指标达成情况",
        "三、资源配置（逐校与校际差异系数）",
        "四、存在的问题",
        "五、整改措施",
    ]
    # the school's row: each stored value with its mark, and the verdict
    row = next(
        [c.text for c in r.cells]
        for t in docx.tables
        for r in t.rows
        if r.cells[0].text == "甲镇中心小学"
    )
    assert row == ["甲镇中心小学", "5√", "0.5×", "1√", "5√", "8√", "2500√", "2.5√", "未达标"]
    # the coefficient table: the stored value against its limit
    coefficients = next(t for t in docx.tables if t.rows[0].cells[0].text == "指标")
    assert coefficients.rows[1].cells[1].text == "0.321 / 0.5（达标）"
    # problems and measures from the failing school: 2 teachers short (还需)
    assert (
        "1 所学校未达到逐校标准（共 1 所），短板指标：每百名学生拥有县级以上骨干教师数 1 所。"
        in text
    )
    assert "每百名学生拥有县级以上骨干教师数：1 所学校未达标，甲镇中心小学还需 2 人。" in text
    assert "尚未在平台开展" in text


@pytest.mark.parametrize("persona", ["district_leader", "town_officer", "school_clerk"])
def test_only_the_bureau_generates_it(client, stored, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("documents:self_assessment_generate"), {"year": YEAR})
    assert response.status_code == 404 and GeneratedDocument.objects.count() == 0


def test_the_leader_reads_the_report_the_town_does_not(
    client, stored, district_admin, district_leader, town_officer
):
    client.force_login(district_admin)
    client.post(reverse("documents:self_assessment_generate"), {"year": YEAR})
    document = GeneratedDocument.objects.get()
    download = reverse("documents:document_download", args=[document.pk])
    client.force_login(district_leader)
    assert document.title in client.get(reverse("documents:document_list")).content.decode()
    assert client.get(download).status_code == 200
    client.force_login(town_officer)
    assert document.title not in client.get(reverse("documents:document_list")).content.decode()
    assert client.get(download).status_code == 404


def test_the_yzjh_page_offers_it_to_the_bureau(client, stored, district_admin):
    client.force_login(district_admin)
    page = client.get(reverse("dashboards:yzjh")).content.decode()
    assert "生成自评报告" in page
    response = client.post(reverse("documents:self_assessment_generate"), {"year": YEAR})
    assert response.status_code == 302
    assert GeneratedDocument.objects.get().kind == "self_assessment"


def test_a_title_over_the_limit_is_told_on_the_page_and_nothing_is_kept(
    client, stored, district_admin, monkeypatch, settings
):
    # given a report whose title comes out longer than a document title may be
    from ruraledu.documents import engine

    render = engine.render

    def long_title(kind, **params):
        data, context = render(kind, **params)
        return data, {**context, "title": "淄" * 201}

    monkeypatch.setattr(engine, "render", long_title)
    client.force_login(district_admin)
    # when the bureau generates it
    response = client.post(
        reverse("documents:self_assessment_generate"), {"year": YEAR}, follow=True
    )
    # then the page says the title is too long; nothing is kept
    assert response.status_code == 200
    body = response.content.decode()
    assert "标题不能超过 200 字" in body and "本次为 201 字" in body
    assert GeneratedDocument.objects.count() == 0
    assert not list(settings.MEDIA_ROOT.rglob("*.docx"))


def test_on_a_city_platform_each_district_bureau_reports_on_its_own_district(client, db):
    from ruraledu.accounts.choices import Role
    from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
    from ruraledu.orgunits.choices import OrgUnitKind
    from ruraledu.orgunits.tests.factories import OrgUnitFactory, SchoolFactory

    city = OrgUnitFactory(code="C", name="示例市", kind=OrgUnitKind.CITY, parent=None)
    for code in ("A", "B"):
        district = OrgUnitFactory(
            code=code, name=f"{code}区", kind=OrgUnitKind.DISTRICT, parent=city
        )
        SchoolFactory(org_unit__code=f"{code}S", org_unit__parent=district)
    admin_a = UserFactory(username="admin_a")
    RoleAssignmentFactory(
        user=admin_a, role=Role.DISTRICT_ADMIN, org_unit=city.children.get(code="A")
    )
    client.force_login(admin_a)
    url = reverse("documents:self_assessment_generate")
    refused = client.post(url, {"year": YEAR, "unit": "B"})
    assert refused.status_code == 404 and not GeneratedDocument.objects.exists()
    assert client.post(url, {"year": YEAR, "unit": "A"}).status_code == 302
    document = GeneratedDocument.objects.get()
    assert document.title == f"A区县域义务教育优质均衡发展自评报告（{YEAR}学年）"
    assert document.org_unit.code == "A"
    # its basic facts count the district's own schools
    assert "现有学校（含幼儿园）1 所" in docx_text(read_docx(document.file))
    # a reader of the district (A's bureau is also B's 区领导) reads B's report, but keeps no
    # final version of it: that is B's bureau's
    admin_b = UserFactory(username="admin_b")
    RoleAssignmentFactory(
        user=admin_b, role=Role.DISTRICT_ADMIN, org_unit=city.children.get(code="B")
    )
    client.force_login(admin_b)
    assert client.post(url, {"year": YEAR, "unit": "B"}).status_code == 302
    report_b = GeneratedDocument.objects.get(org_unit__code="B")
    RoleAssignmentFactory(
        user=admin_a, role=Role.DISTRICT_LEADER, org_unit=city.children.get(code="B")
    )
    client.force_login(admin_a)
    upload = reverse("documents:document_final_upload", args=[report_b.pk])
    final = SimpleUploadedFile("定稿.docx", report_b.file.open("rb").read())
    assert client.post(upload, {"file": final}).status_code == 404
    report_b.refresh_from_db()
    assert not report_b.final_file


def test_the_yzjh_page_offers_the_report_of_the_district_it_shows(client, db):
    from ruraledu.accounts.choices import Role
    from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
    from ruraledu.orgunits.choices import OrgUnitKind
    from ruraledu.orgunits.tests.factories import OrgUnitFactory

    city = OrgUnitFactory(code="C", name="示例市", kind=OrgUnitKind.CITY, parent=None)
    OrgUnitFactory(code="A", name="A区", kind=OrgUnitKind.DISTRICT, parent=city)
    admin = UserFactory(username="city_admin")
    RoleAssignmentFactory(user=admin, role=Role.DISTRICT_ADMIN, org_unit=city)
    client.force_login(admin)
    page = reverse("dashboards:yzjh")
    assert "生成自评报告" not in client.get(page).content.decode()  # the city is no 县域
    shown = client.get(f"{page}?unit=A").content.decode()
    assert "生成自评报告" in shown and 'name="unit" value="A"' in shown


def test_an_evaluation_not_started_still_reports_its_computed_verdicts(stored, district_admin):
    from ruraledu.evaluation.frameworks import frameworks_load
    from ruraledu.evaluation.models import Evaluation

    frameworks_load()
    document = self_assessment_generate(actor=district_admin, framework="yzjh", year=YEAR)
    docx = read_docx(document.file)
    text = docx_text(docx)
    assert not Evaluation.objects.exists()  # generating it starts nothing either
    assert "尚未在平台开展" in text and "下列结论只按平台计算的指标得出" in text
    assert "总体结论：" in text
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 2"]
    parts = [h.split("（")[0] for h in headings if "待认定" in h]
    assert parts == ["资源配置", "政府保障程度", "教育质量", "社会认可度", "一票否决"]
    items = next(t for t in docx.tables if t.rows[0].cells[0].text == "编号")
    assert len(items.rows) > 1
