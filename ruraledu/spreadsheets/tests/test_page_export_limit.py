"""A page's export is served while it stays small; a wider one (a district's roster) would
hold the request for seconds and is pointed at 我的导出, where it is made as a job."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ruraledu.core.models import PersonalDataAccess
from ruraledu.spreadsheets import exporting
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson

URL = reverse("spreadsheets:export", args=["students"]) + "?year=2024"


@pytest.fixture
def pupils(school_a):
    for name in ("张小明", "李小红"):
        person = StudentPerson(name=name, sex="1")
        person.set_id_number(new_id())
        person.save()
        Enrolment.objects.create(person=person, school=school_a, year=2024, grade=3)


def test_an_export_within_the_limit_is_served(client, school_clerk, pupils, monkeypatch):
    monkeypatch.setattr(exporting, "PAGE_ROWS", 2)
    client.force_login(school_clerk)
    response = client.get(URL)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [r[2] for r in book.active.iter_rows(min_row=2, values_only=True)] == [
        "张小明",
        "李小红",
    ]
    assert PersonalDataAccess.objects.filter(purpose="export").count() == 3  # file + 2 pupils


def test_a_wider_export_is_sent_to_the_export_jobs_and_logs_nothing(
    client, school_clerk, pupils, monkeypatch
):
    monkeypatch.setattr(exporting, "PAGE_ROWS", 1)
    client.force_login(school_clerk)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("spreadsheets:job_list") + "?export=students&year=2024#exports"
    # nothing was shown: neither the file nor any child is logged as read
    assert not PersonalDataAccess.objects.exists()
    # the export jobs' form says why, with that export chosen
    page = client.get(response.url)
    body = page.content.decode()
    assert "学生名册超过 1 行，不在页面上直接生成" in body
    form = page.context["export_form"]
    assert (form["kind"].value(), form["year"].value()) == ("students", 2024)


def test_the_export_jobs_page_ignores_an_unknown_kind(client, school_clerk):
    client.force_login(school_clerk)
    page = client.get(reverse("spreadsheets:job_list") + "?export=nope&year=2024")
    assert "不在页面上直接生成" not in page.content.decode()
    assert page.context["export_form"]["kind"].value() == "students"
