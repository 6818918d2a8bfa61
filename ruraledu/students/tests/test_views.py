import pytest
from django.urls import reverse

from ruraledu.core.models import PersonalDataAccess
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson


@pytest.fixture
def pupil(school_a):
    person = StudentPerson(name="张小明", sex="1")
    person.set_id_number(new_id())
    person.save()
    return Enrolment.objects.create(
        person=person, school=school_a, year=2024, grade=3, left_behind=True
    )


@pytest.fixture
def other_pupil(school_b):
    person = StudentPerson(name="李小红", sex="2")
    person.set_id_number(new_id())
    person.save()
    return Enrolment.objects.create(person=person, school=school_b, year=2024, grade=2)


def list_url(code):
    return reverse("students:enrolment_list", args=[code]) + "?year=2024"


def test_anonymous_is_sent_to_login(client, pupil):
    response = client.get(list_url("SA"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_clerk_sees_own_pupils_masked(client, school_clerk, pupil):
    client.force_login(school_clerk)
    body = client.get(list_url("SA")).content.decode()
    assert "张小明" in body
    assert pupil.person.masked_id in body
    assert pupil.person.id_number() not in body


def test_clerk_gets_404_for_another_school(client, school_clerk, other_pupil):
    client.force_login(school_clerk)
    assert client.get(list_url("SB")).status_code == 404


def test_care_filter_and_htmx_partial(client, district_admin, pupil, school_a):
    person = StudentPerson(name="王小刚", sex="1")
    person.set_id_number(new_id())
    person.save()
    Enrolment.objects.create(person=person, school=school_a, year=2024, grade=4)
    client.force_login(district_admin)
    body = client.get(list_url("SA") + "&care=left_behind", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body
    assert "张小明" in body and "王小刚" not in body


def test_revealing_an_id_is_logged_and_limited(
    client, school_clerk, district_leader, pupil, other_pupil
):
    url = reverse("students:id_reveal", args=[pupil.person_id]) + "?year=2024"
    client.force_login(school_clerk)
    response = client.post(url, REMOTE_ADDR="10.0.0.8")
    assert response.content.decode() == pupil.person.id_number()
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.subject, log.address) == (
        school_clerk,
        f"students.studentperson:{pupil.person_id}",
        "10.0.0.8",
    )
    # another school's pupil, and a read-only leader, get nothing
    assert (
        client.post(
            reverse("students:id_reveal", args=[other_pupil.person_id]) + "?year=2024"
        ).status_code
        == 404
    )
    client.force_login(district_leader)
    assert client.post(url).status_code == 404
    assert PersonalDataAccess.objects.count() == 1


def test_edit_is_scoped_and_validated(client, school_clerk, district_leader, pupil, other_pupil):
    url = reverse("students:enrolment_edit", args=[pupil.pk])
    data = {
        "grade": 4,
        "class_name": "4.2",
        "transport": "none",
        "placement": "",
        "family_status": "",
    }
    client.force_login(district_leader)
    assert client.post(url, data).status_code == 404
    client.force_login(school_clerk)
    assert client.get(reverse("students:enrolment_edit", args=[other_pupil.pk])).status_code == 404
    bad = client.post(url, {**data, "grade": 9})
    assert "年级与学校类型不符" in bad.content.decode()
    assert client.post(url, data).status_code == 302
    pupil.refresh_from_db()
    assert (pupil.grade, pupil.class_name, pupil.left_behind) == (4, "4.2", False)
    from ruraledu.audit.models import AuditEvent

    event = AuditEvent.objects.get(object_id=str(pupil.pk), content_type__model="enrolment")
    assert (event.before["grade"], event.after["grade"], event.before["left_behind"]) == (
        3,
        4,
        True,
    )


def test_the_list_exports_to_xlsx_within_scope_and_the_export_is_logged(
    client, school_clerk, pupil, other_pupil
):
    import io

    import openpyxl

    client.force_login(school_clerk)
    response = client.get(reverse("spreadsheets:export", args=["students"]) + "?year=2024")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "证件号码"
    assert [r[2] for r in rows[1:]] == ["张小明"]  # the other school's pupil is not there
    assert rows[1][1] == pupil.person.id_number()  # the school's own clerk needs clear numbers
    # the export as a whole, and each child it names, for the bureau's per-child log
    assert set(PersonalDataAccess.objects.values_list("subject", "purpose")) == {
        ("export:students:2024:全部", "export"),
        (f"students.studentperson:{pupil.person_id}", "export"),
    }


def test_read_only_roles_see_pupils_names_masked(client, district_leader, pupil):
    client.force_login(district_leader)
    body = client.get(list_url("SA")).content.decode()
    assert "张*明" in body and "张小明" not in body


def test_the_page_logs_each_pupil_it_names_in_full(client, school_clerk, pupil):
    client.force_login(school_clerk)
    client.get(list_url("SA"), REMOTE_ADDR="10.0.0.9")
    assert list(PersonalDataAccess.objects.values_list("subject", "purpose", "address")) == [
        (f"students.studentperson:{pupil.person_id}", "roster_list", "10.0.0.9")
    ]


def test_the_edit_page_logs_the_name_it_shows_and_masks_it_for_a_town_office(
    client, school_clerk, town_officer, pupil
):
    url = reverse("students:enrolment_edit", args=[pupil.pk])
    client.force_login(school_clerk)
    body = client.get(url, REMOTE_ADDR="10.0.0.9").content.decode()
    assert "张小明" in body
    assert list(PersonalDataAccess.objects.values_list("subject", "purpose", "address")) == [
        (f"students.studentperson:{pupil.person_id}", "roster_edit", "10.0.0.9")
    ]
    # the town office edits the school's enrolments without personal-data rights there
    client.force_login(town_officer)
    body = client.get(url).content.decode()
    assert "张*明" in body and "张小明" not in body
    assert PersonalDataAccess.objects.filter(user=town_officer).count() == 0


def test_a_grade_of_0_is_refused_in_chinese(client, school_clerk, pupil):
    # given the clerk editing a pupil's enrolment
    client.force_login(school_clerk)
    url = reverse("students:enrolment_edit", args=[pupil.pk])
    data = {"grade": 0, "class_name": "", "transport": "none", "placement": ""}
    # when the grade is 0 (the stage rule reads only a grade given)
    response = client.post(url, {**data, "family_status": ""})
    # then the page says what is wrong, not the database rule's English name
    body = response.content.decode()
    assert response.status_code == 200
    assert "年级须在 1 至 12 之间" in body and "enrolment_grade_range" not in body
    pupil.refresh_from_db()
    assert pupil.grade == 3


def test_a_save_made_invalid_by_a_move_a_moment_before_is_told_on_the_form(
    client, district_admin, pupil, town_a, monkeypatch
):
    # given the bureau editing a primary-school pupil's grade, and the pupil moved to a
    # junior middle school (a transfer confirmed) after the form was checked, before the save
    from ruraledu.orgunits.choices import SchoolStage
    from ruraledu.orgunits.tests.factories import SchoolFactory
    from ruraledu.students import views

    junior = SchoolFactory(
        org_unit__code="SJ",
        org_unit__name="甲镇中学",
        org_unit__parent=town_a,
        stage=SchoolStage.JUNIOR,
    )
    original = views.enrolment_update

    def moved_first(**kwargs):
        Enrolment.objects.filter(pk=pupil.pk).update(school=junior, grade=7)
        return original(**kwargs)

    monkeypatch.setattr(views, "enrolment_update", moved_first)
    client.force_login(district_admin)
    url = reverse("students:enrolment_edit", args=[pupil.pk])
    data = {"grade": 5, "class_name": "", "transport": "none", "placement": ""}
    # when the save reaches the service
    response = client.post(url, {**data, "family_status": ""})
    # then the form says why, and nothing is saved or audited
    from ruraledu.audit.models import AuditEvent

    assert response.status_code == 200
    assert "5 年级与学校类型不符" in response.content.decode()
    pupil.refresh_from_db()
    assert (pupil.school_id, pupil.grade) == (junior.pk, 7)
    assert not AuditEvent.objects.filter(content_type__model="enrolment").exists()


@pytest.mark.parametrize("distance", ["500", "-3"])
def test_a_distance_the_import_would_refuse_is_refused_on_the_page_too(
    client, school_clerk, pupil, distance
):
    # given the clerk editing a pupil's enrolment (the import template allows 0–200 km)
    client.force_login(school_clerk)
    url = reverse("students:enrolment_edit", args=[pupil.pk])
    data = {"grade": 3, "class_name": "2班", "transport": "none", "placement": ""}
    # when the distance is outside that range
    response = client.post(url, {**data, "distance_km": distance, "family_status": ""})
    # then the page says so in Chinese, keeps what was typed and saves nothing
    body = response.content.decode()
    assert response.status_code == 200
    assert "家校距离须在 0～200 公里之间" in body
    assert 'value="2班"' in body
    pupil.refresh_from_db()
    assert pupil.distance_km is None and pupil.class_name == ""
