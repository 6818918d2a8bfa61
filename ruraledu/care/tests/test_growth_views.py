"""学困生成长档案 pages: the school's list with file states, the file page and its forms, scope
(404 and nothing changed), read-only roles refused, and the personal-data access rows."""

import datetime as dt

import pytest
from django.urls import reverse

from ruraledu.core.models import PersonalDataAccess

from ..models import GrowthFile, GrowthReview
from .test_growth_services import flagged, open_file, set_plan


@pytest.fixture
def file(school_a, school_clerk):
    return open_file(flagged(school_a), school_clerk)


def test_the_list_shows_each_flagged_pupils_state_and_logs_each_name(
    client, file, school_a, school_clerk
):
    # given one pupil with a file and one flagged pupil without
    other = flagged(school_a, name="陈小军")
    client.force_login(school_clerk)
    # when the clerk opens the list
    response = client.get(reverse("care:growth_list"), {"year": "2025"}, REMOTE_ADDR="10.0.0.7")
    body = response.content.decode()
    # then both are listed by name with their state, and each name read is logged
    assert response.status_code == 200
    assert "李小红" in body and "陈小军" in body
    assert "已建档，无帮扶计划 1" in body and "未建档 1" in body
    assert "档案在其他学校" not in body  # a state no pupil of the list is in: no filter
    assert set(PersonalDataAccess.objects.values_list("subject", "purpose", "address")) == {
        (f"students.studentperson:{file.person_id}", "growth_list", "10.0.0.7"),
        (f"students.studentperson:{other.person_id}", "growth_list", "10.0.0.7"),
    }


def test_the_town_office_sees_masked_names_and_nothing_is_logged(client, file, town_officer):
    client.force_login(town_officer)
    body = client.get(reverse("care:growth_list"), {"year": "2025"}).content.decode()
    assert "李*红" in body and "李小红" not in body
    assert not PersonalDataAccess.objects.exists()


def test_the_town_office_reading_a_file_is_logged_though_the_name_is_masked(
    client, file, school_clerk, town_officer
):
    # given a file with its plan: words about the child's learning
    set_plan(file, school_clerk)
    client.force_login(town_officer)
    # when the town office, which works its schools' files, opens it
    response = client.get(reverse("care:growth_detail", args=[file.pk]), REMOTE_ADDR="10.0.0.9")
    body = response.content.decode()
    # then it sees the name masked and the record itself, and that read is logged
    assert response.status_code == 200
    assert "李*红" in body and "李小红" not in body
    assert "每周二、四课后一对一辅导识字和计算" in body
    assert set(PersonalDataAccess.objects.values_list("subject", "purpose", "address")) == {
        (f"students.studentperson:{file.person_id}", "growth_view", "10.0.0.9")
    }


def test_another_schools_clerk_does_not_see_the_pupil(client, file, outsider):
    client.force_login(outsider)
    body = client.get(reverse("care:growth_list"), {"year": "2025"}).content.decode()
    assert "李" not in body.split('data-testid="growth-list"')[1]


@pytest.mark.parametrize("persona", ["district_leader", "inspector"])
def test_read_only_roles_get_404_for_lists_and_files(client, file, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("care:growth_list")).status_code == 404
    assert client.get(reverse("care:growth_detail", args=[file.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_reading_a_file_logs_the_read(client, file, school_clerk):
    client.force_login(school_clerk)
    response = client.get(reverse("care:growth_detail", args=[file.pk]), REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 200
    assert "李小红" in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.subject, access.purpose, access.address) == (
        school_clerk,
        f"students.studentperson:{file.person_id}",
        "growth_view",
        "10.0.0.8",
    )


def test_the_clerk_sets_a_plan_and_records_a_review_from_the_page(client, file, school_clerk):
    client.force_login(school_clerk)
    url = reverse("care:growth_step", args=[file.pk, "plan"])
    response = client.post(
        url,
        {
            "plan-version": 1,
            "plan-on": "2025-09-20",
            "plan-supporter": "班主任 王老师",
            "plan-support": "每周二、四课后一对一辅导识字",
            "plan-frequency": "每周 2 次",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("care:growth_step", args=[file.pk, "review"]),
        {
            "review-version": 2,
            "review-on": "2025-11-20",
            "review-reviewer": "王老师",
            "review-progress": "some",
            "review-note": "期中语文 65 分",
        },
    )
    assert response.status_code == 302
    saved = GrowthFile.objects.get()
    assert (saved.version, saved.frequency, saved.last_review_on) == (
        3,
        "每周 2 次",
        dt.date(2025, 11, 20),
    )


def test_a_stale_form_is_refused_with_the_reason(client, file, school_clerk):
    set_plan(file, school_clerk)
    client.force_login(school_clerk)
    response = client.post(
        reverse("care:growth_step", args=[file.pk, "exit"]),
        {"exit-version": 1, "exit-on": "2025-10-01", "exit-reason": "reassessed"},
    )
    assert response.status_code == 400
    assert "第 1 版，现在是第 2 版" in response.content.decode()
    assert GrowthFile.objects.get().status == "supported"


def test_a_review_is_added_from_a_page_read_before_another_save(client, file, school_clerk):
    # given the page was read with the plan at version 2, then the plan was revised
    set_plan(file, school_clerk)
    set_plan(file, school_clerk, on=dt.date(2025, 9, 25))
    client.force_login(school_clerk)
    # when the review is posted from that page
    response = client.post(
        reverse("care:growth_step", args=[file.pk, "review"]),
        {
            "review-version": 2,
            "review-on": "2025-11-20",
            "review-reviewer": "王老师",
            "review-progress": "some",
            "review-note": "期中语文 65 分",
        },
    )
    # then it is saved: it overwrites nothing
    assert response.status_code == 302
    assert list(GrowthReview.objects.values_list("note", flat=True)) == ["期中语文 65 分"]
    saved = GrowthFile.objects.get()
    assert (saved.version, saved.last_review_on) == (4, dt.date(2025, 11, 20))


def test_another_schools_clerk_gets_404_and_nothing_changes(client, file, outsider):
    client.force_login(outsider)
    assert client.get(reverse("care:growth_detail", args=[file.pk])).status_code == 404
    response = client.post(
        reverse("care:growth_step", args=[file.pk, "review"]),
        {
            "review-version": 1,
            "review-on": "2025-11-20",
            "review-reviewer": "某人",
            "review-progress": "some",
            "review-note": "越权",
        },
    )
    assert response.status_code == 404
    assert (
        client.get(reverse("care:growth_open", args=[file.person.enrolments.get().pk])).status_code
        == 404
    )
    assert GrowthFile.objects.get().version == 1
    assert not GrowthReview.objects.exists()
    assert not PersonalDataAccess.objects.exists()


def test_the_clerk_opens_a_file_from_the_list(client, school_a, school_clerk):
    enrolment = flagged(school_a)
    client.force_login(school_clerk)
    response = client.post(
        reverse("care:growth_open", args=[enrolment.pk]),
        {
            "assessed_on": "2025-09-15",
            "subjects": "数学",
            "assessed_by": "数学教研组",
            "assessment": "期初数学 45 分，计算错误多",
        },
    )
    file = GrowthFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("care:growth_detail", args=[file.pk])
    assert (file.subjects, file.status, file.unit_id) == ("数学", "assessed", school_a.pk)
