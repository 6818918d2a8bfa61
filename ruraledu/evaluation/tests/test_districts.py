"""A platform serving a city of districts evaluates each district on its own: a district's
bureau sees and changes its own evaluation only, reads it from its own values, and the city's
bureau sees every district's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.evaluation.choices import Framework, ItemKind, Verdict
from ruraledu.evaluation.models import (
    Evaluation,
    EvaluationItem,
    ItemEvidence,
    MonitoringResult,
)
from ruraledu.evaluation.monitoring_import import results_import
from ruraledu.evaluation.selectors import evaluation_sheet
from ruraledu.evaluation.services import evaluation_get_or_create, evidence_add
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.tests._people_data import check
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory, SchoolFactory

from .conftest import PDF, YEAR, item
from .test_registry_items import compute
from .test_registry_pages import _workbook


def _user(name, role, unit):
    user = UserFactory(username=name)
    RoleAssignmentFactory(user=user, role=role, org_unit=unit)
    return user


@pytest.fixture
def city(frameworks):
    city = OrgUnitFactory(code="C", name="示例市", kind=OrgUnitKind.CITY, parent=None)
    for code in ("A", "B"):
        district = OrgUnitFactory(
            code=code, name=f"{code}区", kind=OrgUnitKind.DISTRICT, parent=city
        )
        town = OrgUnitFactory(
            code=f"{code}1", name=f"{code}镇", kind=OrgUnitKind.TOWN, parent=district
        )
        SchoolFactory(
            org_unit__code=f"{code}S", org_unit__name=f"{code}小学", org_unit__parent=town
        )
    return city


@pytest.fixture
def admin_a(district_a):
    return _user("admin_a", Role.DISTRICT_ADMIN, district_a)


@pytest.fixture
def admin_b(district_b):
    return _user("admin_b", Role.DISTRICT_ADMIN, district_b)


def _url(name, unit, *rest, framework=Framework.YZJH):
    return reverse(f"evaluation:{name}", args=[unit.code, framework, YEAR, *rest])


def test_a_district_bureau_lists_opens_and_changes_its_own_evaluation_only(
    client, district_a, district_b, admin_a
):
    client.force_login(admin_a)
    index = client.get(reverse("evaluation:evaluation_index")).content.decode()
    assert 'href="/evaluation/A/yzjh/' in index and "/evaluation/B/" not in index
    assert "可在指标页修改" not in index  # the thresholds are the city's to set
    assert client.get(_url("evaluation_detail", district_a)).status_code == 200
    # another district's evaluation does not exist for this bureau: not read, not written
    assert client.get(_url("evaluation_detail", district_b)).status_code == 404
    figure = {"value": "101", "source": _pdf()}
    assert client.post(_url("item_figure", district_b, "G07"), figure).status_code == 404
    assert not Evaluation.objects.filter(unit=district_b).exists()
    # its own: written, and held by its district
    assert (
        client.post(
            _url("item_figure", district_a, "G07"), {"value": "101", "source": _pdf()}
        ).status_code
        == 302
    )
    evaluation = Evaluation.objects.get(unit=district_a, framework=Framework.YZJH, year=YEAR)
    assert evaluation.figures.get().value == 101
    # the frameworks' thresholds hold for every district: not this district's bureau to change
    threshold = {"threshold": "50", "provisional": ""}
    assert client.post(_url("item_threshold", district_a, "G13"), threshold).status_code == 404


def test_the_city_bureau_sees_each_district_side_by_side(client, city, district_a, district_b):
    admin = _user("city_admin", Role.DISTRICT_ADMIN, city)
    client.force_login(admin)
    index = client.get(reverse("evaluation:evaluation_index")).content.decode()
    assert 'href="/evaluation/A/yzjh/' in index and 'href="/evaluation/B/yzjh/' in index
    assert "可在指标页修改（对全部区县有效）" in index
    for district in (district_a, district_b):
        page = client.get(_url("evaluation_detail", district))
        assert page.status_code == 200
        assert f"{district.name} {YEAR}学年" in page.content.decode()
    assert not Evaluation.objects.exists()  # reading stores nothing


def test_each_district_is_judged_by_its_own_values(district_a, district_b):
    # given a measured item's indicator stored for A only
    measured = EvaluationItem.objects.filter(
        framework=Framework.YZJH, kind=ItemKind.MEASURED, second_indicator_code=""
    ).exclude(indicator_code="")
    code = measured.order_by("order").first().code
    IndicatorValue.objects.create(
        code=item(Framework.YZJH, code).indicator_code,
        unit=district_a,
        year=YEAR,
        value=100.0,
        computed_at=timezone.now(),
    )

    def verdict(unit, code):
        evaluation = evaluation_get_or_create(unit=unit, framework=Framework.YZJH, year=YEAR)
        return next(r for r in evaluation_sheet(evaluation)["results"] if r.item.code == code)

    assert verdict(district_a, code).value == 100.0
    assert (
        verdict(district_b, code).value is None
        and verdict(district_b, code).verdict == Verdict.PENDING
    )


def test_monitoring_results_are_each_districts_own(district_a, district_b, admin_a, admin_b):
    results_import(
        unit=district_a,
        year=YEAR,
        actor=admin_a,
        data=_workbook(("四年级", "数学", "Ⅲ级", 0.1), ("八年级", "科学", "Ⅱ级", 0.2)),
        filename="a.xlsx",
        recompute=False,
    )
    results_import(
        unit=district_b,
        year=YEAR,
        actor=admin_b,
        data=_workbook(("四年级", "数学", "Ⅳ级", 0.1)),
        filename="b.xlsx",
        recompute=False,
    )
    # the same grade and subject in two districts are two results
    assert MonitoringResult.objects.filter(subject="数学").count() == 2
    with pytest.raises(Exception) as refused:
        results_import(
            unit=district_b,
            year=YEAR,
            actor=admin_a,
            data=_workbook(),
            filename="c.xlsx",
            recompute=False,
        )
    assert "区教体局" in str(refused.value)
    rows = compute("evaluation_monitoring_level_rate", year=YEAR)
    check(rows, "evaluation_monitoring_level_rate", district_a, 50.0, 1.0, 2.0)
    check(rows, "evaluation_monitoring_level_rate", district_b, 100.0, 1.0, 1.0)


def test_school_evidence_goes_to_its_own_districts_evaluation(
    client, district_a, district_b, admin_a
):
    school_b = district_b.children.get().children.get()
    clerk_b = _user("clerk_b", Role.SCHOOL_CLERK, school_b)
    q03 = item(Framework.YZJH, "Q03")
    client.force_login(clerk_b)
    url = reverse("evaluation:school_diagnosis", args=[school_b.code])
    upload = _pdf("章程.pdf")
    response = client.post(url, {"year": YEAR, "item": q03.pk, "file": upload})
    assert response.status_code == 302
    file = ItemEvidence.objects.get()
    assert file.evaluation.unit == district_b
    # A's bureau neither downloads B's file nor files one for B's school in A's evaluation
    client.force_login(admin_a)
    assert client.get(reverse("evaluation:evidence_download", args=[file.pk])).status_code == 404
    evaluation_a = evaluation_get_or_create(unit=district_a, framework=Framework.YZJH, year=YEAR)
    with pytest.raises(Exception) as refused:
        evidence_add(
            evaluation=evaluation_a,
            item=q03,
            actor=admin_a,
            data=PDF,
            filename="x.pdf",
            school=school_b,
        )
    assert "不在您的权限范围内" in str(refused.value)


def test_a_survey_link_names_only_a_school_of_its_district(client, district_a, district_b, admin_a):
    from ruraledu.evaluation.survey import survey_ensure

    evaluation = evaluation_get_or_create(unit=district_a, framework=Framework.XQPJPH, year=YEAR)
    survey = survey_ensure(evaluation=evaluation)
    client.force_login(admin_a)
    url = reverse("evaluation:survey_answer", args=[survey.token, "parent"])
    inside = client.get(f"{url}?school=AS").content.decode()
    outside = client.get(f"{url}?school=BS").content.decode()
    assert "A小学" in inside and "B小学" not in outside


def _pdf(name="统计表.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_the_menu_offers_the_evaluations_to_district_roles_and_diagnosis_to_the_others(
    district_a, admin_a
):
    from ruraledu.evaluation.navigation import evaluation_item

    town = _user("town_a", Role.TOWN_OFFICER, district_a.children.get())
    leader = _user("leader_a", Role.DISTRICT_LEADER, district_a)
    assert [evaluation_item(u)[0] for u in (admin_a, leader, town)] == [
        "督导评估",
        "督导评估",
        "学校诊断",
    ]


def test_not_even_the_city_files_one_districts_school_in_anothers_evaluation(
    city, district_a, district_b
):
    city_admin = _user("city_admin", Role.DISTRICT_ADMIN, city)
    evaluation_a = evaluation_get_or_create(unit=district_a, framework=Framework.YZJH, year=YEAR)
    school_b = district_b.children.get().children.get()
    with pytest.raises(Exception) as refused:
        evidence_add(
            evaluation=evaluation_a,
            item=item(Framework.YZJH, "Q03"),
            actor=city_admin,
            data=PDF,
            filename="x.pdf",
            school=school_b,
        )
    assert "不在您的权限范围内" in str(refused.value)
    assert not ItemEvidence.objects.exists()


def test_a_school_is_compared_with_schools_of_its_own_district(district_a, district_b):
    from ruraledu.evaluation.similar import SIZE, similar_schools

    schools = {}
    for district in (district_a, district_b):
        town = district.children.get()
        for n in (1, 2):
            unit = SchoolFactory(
                org_unit__code=f"{district.code}P{n}", org_unit__parent=town
            ).org_unit
            schools[unit.code] = unit
            IndicatorValue.objects.create(
                code=SIZE,
                unit=unit,
                year=YEAR,
                value=1.0,
                computed_at=timezone.now(),
                details={"students": 300},
            )
    _, peers = similar_schools(schools["AP1"], YEAR)
    assert peers == [schools["AP2"].pk]


def test_a_year_no_school_year_can_be_is_not_found(client, district_a, admin_a):
    client.force_login(admin_a)
    for year in (1999, 2101, 99999):
        url = reverse("evaluation:evaluation_detail", args=[district_a.code, Framework.YZJH, year])
        assert client.get(url).status_code == 404
    assert not Evaluation.objects.exists()


def test_the_city_imports_no_answer_given_at_another_districts_school(city, district_a):
    from ruraledu.evaluation.survey import survey_ensure
    from ruraledu.evaluation.survey_import import responses_import
    from ruraledu.spreadsheets.services import ImportRejected

    from .test_survey import _workbook as answers

    city_admin = _user("city_admin", Role.DISTRICT_ADMIN, city)
    evaluation = evaluation_get_or_create(unit=district_a, framework=Framework.XQPJPH, year=YEAR)
    survey = survey_ensure(evaluation=evaluation)
    data = answers(("家长", "AS", 1, 1, 1, 1, 1), ("家长", "BS", 1, 1, 1, 1, 1))
    with pytest.raises(ImportRejected) as rejected:
        responses_import(survey=survey, actor=city_admin, data=data, filename="答卷.xlsx")
    assert [e.row for e in rejected.value.errors] == [4]
    assert "没有这个学校代码" in str(rejected.value.errors[0])
    assert not survey.responses.exists()
