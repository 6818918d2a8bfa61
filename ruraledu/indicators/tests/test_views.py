import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.services import recompute
from ruraledu.plans.models import Plan, Target
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson


@pytest.fixture
def data(school_a, school_b):
    FacilityRecord.objects.create(school=school_a, year=2024, sanitary_toilets=True, classrooms=4)
    FacilityRecord.objects.create(school=school_b, year=2024, sanitary_toilets=False, classrooms=2)
    for school, name in ((school_a, "张小明"), (school_b, "李小红")):
        person = StudentPerson(name=name, sex="1")
        person.set_id_number(new_id())
        person.save()
        Enrolment.objects.create(
            person=person, school=school, year=2024, grade=3, lunch_needed=True
        )
    plan = Plan.objects.create(code="p", title="方案", start_year=2023, end_year=2027)
    Target.objects.create(
        plan=plan,
        code="P13-1",
        text="乡村学校卫生厕所全部改造完成",
        kind="measured",
        comparator="gte",
        threshold=100,
        unit="%",
        due_date=dt.date(2023, 12, 31),
        indicator_code="rural_sanitary_toilet_rate",
    )
    recompute(years=[2024])


def url(name, *args):
    return reverse(f"indicators:{name}", args=args)


def test_indicator_page_shows_value_children_and_chart(client, district_admin, data):
    client.force_login(district_admin)
    body = client.get(url("indicator_detail", "rural_sanitary_toilet_rate")).content.decode()
    assert "乡村学校卫生厕所改造完成率" in body
    assert "50.00%" in body  # 1 of 2 rural schools
    assert "甲镇" in body and "乙镇" in body
    assert 'data-chart="trend-data"' in body and '"markLine"' in body
    # the target's label sits inside the plot: past the line's end it was cut off
    assert '"position": "insideStartTop"' in body


def test_town_officer_sees_own_town_and_gets_404_for_another(client, town_officer, data):
    client.force_login(town_officer)
    body = client.get(url("indicator_detail", "rural_sanitary_toilet_rate")).content.decode()
    assert "甲镇" in body and "100.00%" in body
    assert (
        client.get(url("indicator_detail", "rural_sanitary_toilet_rate") + "?unit=TB").status_code
        == 404
    )
    assert (
        client.get(url("indicator_detail", "rural_sanitary_toilet_rate") + "?unit=D").status_code
        == 404
    )


def test_drill_down_lists_the_records_behind_the_numerator_and_denominator(
    client, district_admin, data
):
    client.force_login(district_admin)
    base = url("indicator_records", "rural_sanitary_toilet_rate") + "?unit=D&year=2024"
    numerator = client.get(base + "&part=numerator").content.decode()
    assert "甲镇中心小学" in numerator and "乙镇中心小学" not in numerator
    denominator = client.get(base + "&part=denominator").content.decode()
    assert "甲镇中心小学" in denominator and "乙镇中心小学" in denominator


def test_drill_down_masks_pupil_names_for_read_only_roles(
    client, district_leader, district_admin, data
):
    base = (
        url("indicator_records", "school_lunch_served_rate") + "?unit=D&year=2024&part=denominator"
    )
    client.force_login(district_leader)
    body = client.get(base).content.decode()
    assert "张*明" in body and "张小明" not in body
    client.force_login(district_admin)
    assert "张小明" in client.get(base).content.decode()


def test_drill_down_export_is_an_xlsx_of_the_same_rows(client, district_admin, data):
    client.force_login(district_admin)
    response = client.get(
        url("indicator_records", "rural_sanitary_toilet_rate")
        + "?unit=D&year=2024&part=denominator&format=xlsx"
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "学校"
    assert sorted(r[0] for r in rows[1:]) == ["乙镇中心小学", "甲镇中心小学"]


def test_target_page_shows_status_and_history(client, district_leader, data):
    client.force_login(district_leader)
    body = client.get(url("target_detail", "P13-1")).content.decode()
    assert "已逾期" in body  # due 2023, 50 % in 2024
    assert "（首次评估） → 已逾期" in body


def test_unknown_indicator_is_404(client, district_admin, data):
    client.force_login(district_admin)
    assert client.get(url("indicator_detail", "nope")).status_code == 404


def test_the_bureau_recomputes_and_the_page_shows_the_job(
    client, district_admin, district_leader, school_a, django_capture_on_commit_callbacks
):
    from ruraledu.indicators.models import IndicatorValue, RecomputeJob

    FacilityRecord.objects.create(school=school_a, year=2024, sanitary_toilets=True)
    client.force_login(district_leader)
    assert client.post(url("recompute")).status_code == 404
    client.force_login(district_admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("recompute")).status_code == 302
    # tests run tasks immediately once the request's transaction commits
    job = RecomputeJob.objects.get()
    assert (job.status, job.progress) == ("done", 100)
    assert IndicatorValue.objects.filter(code="rural_sanitary_toilet_rate", year=2024).exists()
    partial = client.get(url("recompute"), HTTP_HX_REQUEST="true").content.decode()
    assert "已完成 100%" in partial and "<html" not in partial


def test_a_trend_labels_shares_to_the_hundredth_and_ratios_to_four_places():
    from ruraledu.indicators.charts import trend_chart

    share = trend_chart(title="率", years=[2024, 2025], values=[70.588235, None], unit="%")
    assert share["series"][0]["data"] == [70.59, None]
    ratio = trend_chart(title="比", years=[2025], values=[1.046789], unit="")
    assert ratio["series"][0]["data"] == [1.0468]
