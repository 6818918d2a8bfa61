"""Evaluations stored before they belonged to a district go to the plan's district."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.evaluation.models import Evaluation, MonitoringResult

BEFORE = [("evaluation", "0007_monitoring_results_responsible_unit")]


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stored_evaluations_and_monitoring_results_go_to_the_plan_district(settings):
    # given a city of two districts, the plan's district the second, and one evaluation with
    # its 质量监测 result stored as the install's
    settings.PLAN_DISTRICT_CODE = "370303"
    old = migrate(BEFORE)
    OrgUnit = old.get_model("orgunits", "OrgUnit")
    city = OrgUnit.objects.create(code="3703", name="淄博市", kind="city", path="3703/")
    for code, name in (("370302", "淄川区"), ("370303", "张店区")):
        OrgUnit.objects.create(
            code=code, name=name, kind="district", parent=city, path=f"3703/{code}/"
        )
    old.get_model("evaluation", "Evaluation").objects.create(framework="yzjh", year=2025)
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
    # when the migrations run
    migrate()
    # then both belong to the plan's district
    assert Evaluation.objects.get().unit.code == "370303"
    assert MonitoringResult.objects.get().unit.code == "370303"
