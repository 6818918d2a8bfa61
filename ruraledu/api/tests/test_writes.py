"""The write endpoints: an import upload through the import job machinery (same checks as the
page, audited), and a recompute the bureau alone may start."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.models import RecomputeJob
from ruraledu.spreadsheets.forms import ImportUploadForm
from ruraledu.spreadsheets.models import ImportJob
from ruraledu.spreadsheets.tests.files import template_file

from .conftest import YEAR, token_client

pytestmark = pytest.mark.usefixtures("school_year")


def courses(school: str) -> SimpleUploadedFile:
    data = template_file("courses", {"school": school, "name": "剪纸", "is_club": "是"})
    return SimpleUploadedFile("课程.xlsx", data)


def upload(client, school: str, year=YEAR, **extra):
    return client.post(
        "/api/v1/import-jobs/",
        {"kind": "courses", "year": year, "file": courses(school), **extra},
        format="multipart",
    )


def test_clerk_uploads_an_import_for_her_school(
    school_clerk, school_a, django_capture_on_commit_callbacks
):
    client = token_client(school_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "SA")
    assert response.status_code == 202, response.content
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.created_by == school_clerk
    result = client.get(f"/api/v1/import-jobs/{job.pk}/").json()
    assert result["status"] == "done", result
    assert result["created_count"] == 1
    event = AuditEvent.objects.get(object_id=str(job.pk), action="upload")
    assert event.actor == school_clerk
    assert "接口" in event.summary


def test_an_upload_for_a_school_out_of_reach_is_refused_by_the_importer(
    school_clerk, school_a, school_b, django_capture_on_commit_callbacks
):
    client = token_client(school_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "SB")
    assert response.status_code == 202
    result = client.get(f"/api/v1/import-jobs/{response.json()['id']}/").json()
    assert result["status"] == "rejected", result
    assert result["created_count"] == 0
    assert result["error_count"] >= 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "nope"}, "kind"),
        ({"year": "二〇二四"}, "year"),
        ({"extra": "1"}, "extra"),
    ],
)
def test_bad_uploads_name_the_field_and_write_nothing(school_clerk, school_a, fields, field):
    client = token_client(school_clerk)
    body = {"kind": "courses", "year": YEAR, "file": courses("SA")} | fields
    response = client.post("/api/v1/import-jobs/", body, format="multipart")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert not ImportJob.objects.exists()


def test_an_upload_is_for_a_year_the_upload_page_offers(school_clerk, school_a):
    # given the years the page offers: YEAR + 1 is current, so YEAR + 2 back to YEAR - 4
    offered = [year for year, _ in ImportUploadForm().fields["year"].choices]
    assert offered == list(range(YEAR + 2, YEAR - 5, -1))
    client = token_client(school_clerk)
    # when a year just outside or far outside them is sent, then it is refused, by name
    for year in (YEAR + 3, YEAR - 5, 2099, 2000):
        response = upload(client, "SA", year=year)
        assert response.status_code == 400, year
        assert response.json()["error"]["fields"] == {
            "year": ["只能导入2020—2021学年至2026—2027学年的数据（与上传页面可选的学年相同）。"]
        }
    assert not ImportJob.objects.exists()
    # and the first and last years offered are accepted
    for year in (offered[0], offered[-1]):
        assert upload(client, "SA", year=year).status_code == 202, year
    assert sorted(ImportJob.objects.values_list("year", flat=True)) == [YEAR - 4, YEAR + 2]


def test_a_file_that_is_not_a_workbook_is_refused(school_clerk, school_a):
    client = token_client(school_clerk)
    fake = SimpleUploadedFile("课程.xlsx", b"not a workbook")
    response = client.post(
        "/api/v1/import-jobs/", {"kind": "courses", "year": YEAR, "file": fake}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["file"]
    assert not ImportJob.objects.exists()


def test_a_read_only_leader_may_not_upload(district_leader):
    client = token_client(district_leader)
    response = upload(client, "SA")
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_the_bureau_starts_a_recompute_and_it_is_audited(district_admin):
    client = token_client(district_admin)
    response = client.post("/api/v1/recompute/", {}, format="json")
    assert response.status_code == 202, response.content
    job = RecomputeJob.objects.get(pk=response.json()["id"])
    assert job.requested_by == district_admin
    assert AuditEvent.objects.filter(object_id=str(job.pk), actor=district_admin).exists()


@pytest.mark.parametrize("persona", ["town_officer", "school_clerk", "district_leader"])
def test_no_one_else_starts_a_recompute(request, persona):
    client = token_client(request.getfixturevalue(persona))
    response = client.post("/api/v1/recompute/", {}, format="json")
    assert response.status_code == 403
    assert "区教体局" in response.json()["error"]["message"]
    assert not RecomputeJob.objects.exists()
