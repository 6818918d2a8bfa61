"""The indicator page links every part its figure drills into, a 差异系数's table included."""

from django.urls import reverse
from django.utils import timezone

from ruraledu.indicators.models import IndicatorValue


def test_a_coefficient_page_links_its_per_school_table(client, district_admin, district):
    IndicatorValue.objects.create(
        code="yzjh_cv_r1_primary",
        unit=district,
        year=2024,
        value=0.3,
        details={"schools": 2, "limit": 0.5},
        computed_at=timezone.now(),
    )
    client.force_login(district_admin)
    url = reverse("indicators:indicator_detail", args=["yzjh_cv_r1_primary"])
    page = client.get(url + "?unit=D&year=2024").content.decode()
    links = page.split('data-testid="drill-links"')[1].split("</p>")[0]
    assert reverse("indicators:indicator_records", args=["yzjh_cv_r1_primary"]) in links
    assert "part=" in links


def test_a_department_account_gets_no_links_to_pages_that_would_not_open(
    client, department_reporter, district
):
    client.force_login(department_reporter)
    page = client.get(reverse("indicators:indicator_list")).content.decode()
    detail = reverse("indicators:indicator_detail", args=["rural_sanitary_toilet_rate"])
    assert "乡村学校卫生厕所改造完成率" in page and detail not in page
    assert client.get(detail).status_code == 404
    # and the page says why it shows names only
    assert 'data-testid="no-unit"' in page and "不显示数值" in page


def test_an_account_with_a_unit_gets_no_names_only_note(client, district_admin, district):
    client.force_login(district_admin)
    page = client.get(reverse("indicators:indicator_list")).content.decode()
    assert 'data-testid="no-unit"' not in page


def test_only_the_bureau_starts_a_recompute_through_the_service(
    district_admin, town_officer, district
):
    import pytest
    from django.core.exceptions import PermissionDenied

    from ruraledu.indicators.jobs import recompute_start
    from ruraledu.indicators.models import RecomputeJob

    with pytest.raises(PermissionDenied):
        recompute_start(actor=town_officer)
    assert not RecomputeJob.objects.exists()
    job = recompute_start(actor=district_admin)
    assert (job.reason, job.requested_by) == ("手动", district_admin)
