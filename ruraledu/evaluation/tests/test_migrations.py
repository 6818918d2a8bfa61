"""Evaluations stored before they belonged to a district go to the plan's district; a school's
own evidence to its school's district."""

import pytest

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.core.tests.migrating import migrate
from ruraledu.evaluation.models import Evaluation, ItemEvidence, MonitoringResult

BEFORE = [("evaluation", "0007_monitoring_results_responsible_unit")]


def _city_with_one_evaluation():
    """淄博市 with two districts, each with a school; one evaluation of the install with its
    质量监测 result, the district's evidence and one from a school of each district."""
    old = migrate(BEFORE)
    OrgUnit = old.get_model("orgunits", "OrgUnit")
    city = OrgUnit.objects.create(code="3703", name="淄博市", kind="city", path="3703/")
    for code, name in (("370302", "淄川区"), ("370303", "张店区")):
        district = OrgUnit.objects.create(
            code=code, name=name, kind="district", parent=city, path=f"3703/{code}/"
        )
        OrgUnit.objects.create(
            code=f"{code}01",
            name=f"{name}小学",
            kind="school",
            parent=district,
            path=f"{district.path}{code}01/",
        )
    evaluation = old.get_model("evaluation", "Evaluation").objects.create(
        framework="yzjh", year=2025
    )
    user = UserFactory(username="importer")  # the accounts tables are today's
    old.get_model("evaluation", "MonitoringResult").objects.create(
        year=2025,
        grade=4,
        subject="数学",
        level=3,
        school_gap=0.1,
        source_name="a.xlsx",
        imported_by_id=user.pk,
    )
    item = old.get_model("evaluation", "EvaluationItem").objects.create(
        framework="yzjh", code="Q03", part="教育质量", name="章程", kind="evidence"
    )
    for school in (None, "37030201", "37030301"):
        old.get_model("evaluation", "ItemEvidence").objects.create(
            evaluation=evaluation,
            item=item,
            school=OrgUnit.objects.get(code=school) if school else None,
            file="e.pdf",
            original_name=f"{school}.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by_id=user.pk,
        )


@pytest.mark.django_db(transaction=True)
def test_stored_evaluations_go_to_the_plan_district_and_school_evidence_to_its_own(settings):
    # given the plan's district the second of two
    settings.PLAN_DISTRICT_CODE = "370303"
    _city_with_one_evaluation()
    # when the migrations run
    migrate()
    # then the evaluation and the result are the plan district's; the other district's
    # school's evidence is in that district's evaluation of the same framework and year
    evaluation = Evaluation.objects.get(unit__code="370303")
    assert MonitoringResult.objects.get().unit.code == "370303"
    held = {f.original_name: f.evaluation.unit.code for f in ItemEvidence.objects.all()}
    assert held == {"None.pdf": "370303", "37030301.pdf": "370303", "37030201.pdf": "370302"}
    other = Evaluation.objects.get(unit__code="370302")
    assert (other.framework, other.year) == (evaluation.framework, evaluation.year)


@pytest.mark.django_db(transaction=True)
def test_with_several_districts_and_no_plan_district_the_upgrade_stops_and_says_why(settings):
    settings.PLAN_DISTRICT_CODE = "370399"
    _city_with_one_evaluation()
    with pytest.raises(RuntimeError, match="PLAN_DISTRICT_CODE"):
        migrate()
    settings.PLAN_DISTRICT_CODE = "370302"
    migrate()  # nothing was half-done: it runs again once told, and leaves the schema current
    assert MonitoringResult.objects.get().unit.code == "370302"
