"""Bureau-only pages, inputs refused with Chinese messages, audit rows, Excel export and the
side-by-side comparison. The registry is replaced by hand-made schools."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ruraledu.audit.models import AuditEvent
from ruraledu.planning import plan_data, services
from ruraledu.planning.choices import ScenarioStatus
from ruraledu.planning.inputs import DEFAULTS
from ruraledu.planning.models import Scenario

from .conftest import school

SCHOOLS = [school(1, r1=3.5, r2=0, r5=600), school(2)]


@pytest.fixture(autouse=True)
def hand_made_registry(monkeypatch):
    monkeypatch.setattr(plan_data, "district_schools", lambda year, unit: SCHOOLS)


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """Run the queued solve after the commit, as the worker would."""

    class Committing:
        def post(self, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(client, name)

    return Committing()


def _post(year=2025, name="方案甲", **changes):
    data = {
        "name": name,
        "year": year,
        "max_area": 3000,
        "max_posts": 10,
        "budget": "",
        "time_limit": 20,
        "limits": "",
    }
    data.update({f"cost_{k}": v for k, v in DEFAULTS["costs"].items()})
    data.update(changes)
    return data


def test_bureau_creates_solves_and_reads_a_scenario(client, district, district_admin):
    client.force_login(district_admin)
    # the install's one district is the scenario's, with nothing to choose
    assert 'name="unit"' not in client.get(reverse("planning:scenario_create")).content.decode()
    response = client.post(reverse("planning:scenario_create"), _post())
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and scenario.unit == district
    # the test settings run tasks immediately: the scenario is solved after the commit
    assert scenario.status == ScenarioStatus.DONE
    assert scenario.result["passes"] and scenario.result["cost"] == 195600
    assert AuditEvent.objects.filter(object_id=str(scenario.pk)).count() == 2
    page = client.get(reverse("planning:scenario_detail", args=[scenario.pk])).content.decode()
    assert "还需：骨干教师 1 名、体育运动场馆 38 ㎡" in page
    assert "方案经逐项核验" in page
    assert "254,400" in page  # saving: 450,000 naive − 195,600


def test_missing_and_negative_costs_are_refused_in_chinese(client, district_admin):
    client.force_login(district_admin)
    response = client.post(reverse("planning:scenario_create"), _post(cost_r2=""))
    assert response.status_code == 400
    assert "单位费用“骨干教师（每名每年，元）”不能为空。" in response.content.decode()
    response = client.post(reverse("planning:scenario_create"), _post(cost_r5="-3"))
    assert "不能为负数，收到“-3”" in response.content.decode()
    response = client.post(reverse("planning:scenario_create"), _post(limits="S1,abc"))
    assert "每校限额第 1 行" in response.content.decode()
    response = client.post(reverse("planning:scenario_create"), _post(limits="999999,100,1"))
    assert "每校限额中的学校代码不在本方案的学校中：999999" in response.content.decode()
    assert not Scenario.objects.exists()
    # a school of the plan is taken
    client.post(reverse("planning:scenario_create"), _post(limits="S1,100,1"))
    assert Scenario.objects.get().inputs["limits"] == {"S1": {"area": 100.0, "posts": 1.0}}


def test_budget_too_small_is_said_on_the_page(client, district_admin):
    client.force_login(district_admin)
    client.post(reverse("planning:scenario_create"), _post(budget="100000"))
    scenario = Scenario.objects.get()
    page = client.get(reverse("planning:scenario_detail", args=[scenario.pk])).content.decode()
    assert "预算或每校限额不足以使全部学校达标" in page
    assert "方案后仍未达标：学校1" in page


def test_export_and_side_by_side(client, district_admin):
    client.force_login(district_admin)
    client.post(reverse("planning:scenario_create"), _post(name="方案甲"))
    client.post(reverse("planning:scenario_create"), _post(name="方案乙", budget="100000"))
    a, b = Scenario.objects.order_by("pk")
    response = client.get(reverse("planning:scenario_export", args=[a.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["逐校方案"].iter_rows(values_only=True))
    assert rows[1][:3] == ("S1", "学校1", 100)
    assert "还需：骨干教师 1 名、体育运动场馆 38 ㎡" in rows[1]
    page = client.get(reverse("planning:scenario_compare"), {"a": a.pk, "b": b.pk})
    text = page.content.decode()
    assert "方案甲" in text and "方案乙" in text and "195,600" in text


@pytest.mark.parametrize("persona", ["district_leader", "town_officer", "school_clerk"])
def test_everyone_but_the_bureau_gets_404(client, request, district_admin, persona):
    scenario = services.scenario_create(
        actor=district_admin, name="方案", year=2025, inputs=DEFAULTS
    )
    client.force_login(request.getfixturevalue(persona))
    for name, args in [
        ("planning:scenario_list", []),
        ("planning:scenario_create", []),
        ("planning:scenario_detail", [scenario.pk]),
        ("planning:scenario_export", [scenario.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse("planning:scenario_run", args=[scenario.pk])).status_code == 404
    with pytest.raises(Exception) as refused:
        services.scenario_create(
            actor=request.getfixturevalue(persona), name="x", year=2025, inputs=DEFAULTS
        )
    assert refused.typename == "Http404"
