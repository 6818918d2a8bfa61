"""Clear ID numbers and names are decided per record, by the role held where the record lives:
a clerk of school A who is also the inspector of school B sees A's pupils in clear, B's masked."""

import io

import openpyxl
from django.urls import reverse

from ruraledu.indicators.services import recompute
from ruraledu.students.models import StudentPerson

from .conftest import A_ID, B_ID, YEAR


def test_the_student_list_is_clear_only_where_the_user_is_the_clerk(client, two_hats):
    client.force_login(two_hats)
    own = client.get(reverse("students:enrolment_list", args=["SA"]) + f"?year={YEAR}")
    other = client.get(reverse("students:enrolment_list", args=["SB"]) + f"?year={YEAR}")
    assert "张小明" in own.content.decode() and "显示完整证件号" in own.content.decode()
    body = other.content.decode()
    assert "李*红" in body and "李小红" not in body and "显示完整证件号" not in body


def reveal_url(person_pk: int, year: int = YEAR) -> str:
    return reverse("students:id_reveal", args=[person_pk]) + f"?year={year}"


def test_the_clear_id_reveal_answers_only_for_the_clerks_own_school(client, two_hats):
    client.force_login(two_hats)
    a, b = (StudentPerson.objects.get(name=n).pk for n in ("张小明", "李小红"))
    assert client.post(reveal_url(a)).content.decode() == A_ID
    assert client.post(reveal_url(b)).status_code == 404


def test_the_reveal_follows_the_year_viewed_not_a_year_the_school_once_held_the_child(
    client, two_hats, school_a
):
    from ruraledu.core.models import PersonalDataAccess
    from ruraledu.students.models import Enrolment

    # given 李小红, at school B this year, was school A's pupil the year before
    li = Enrolment.objects.get(person__name="李小红")
    Enrolment.objects.create(person=li.person, school=school_a, year=YEAR - 1, grade=2)
    client.force_login(two_hats)
    # when A's clerk asks for her ID number as of this year (B's row, masked to them): nothing
    assert client.post(reveal_url(li.person_id)).status_code == 404
    # nor without a year
    assert client.post(reverse("students:id_reveal", args=[li.person_id])).status_code == 404
    assert not PersonalDataAccess.objects.exists()
    # as of the year before she is on A's own roster, whose button asks for that year
    roster = reverse("students:enrolment_list", args=["SA"]) + f"?year={YEAR - 1}"
    assert reveal_url(li.person_id, YEAR - 1) in client.get(roster).content.decode()
    PersonalDataAccess.objects.all().delete()  # the roster's own read
    # and there the number is shown and the reveal logged
    assert client.post(reveal_url(li.person_id, YEAR - 1)).content.decode() == B_ID
    assert PersonalDataAccess.objects.get().subject == f"students.studentperson:{li.person_id}"


def test_an_export_of_both_schools_is_clear_for_one_and_masked_for_the_other(client, two_hats):
    client.force_login(two_hats)
    response = client.get(reverse("spreadsheets:export", args=["students"]) + f"?year={YEAR}")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    numbers = {row[6]: row[1] for row in rows}
    names = {row[6]: row[2] for row in rows}
    assert (numbers["SA"], names["SA"]) == (A_ID, "张小明")
    assert names["SB"] == "李*红"
    assert numbers["SB"] != B_ID and numbers["SB"].endswith(B_ID[-4:]) and "*" in numbers["SB"]


def test_a_drill_down_masks_the_pupils_of_the_inspected_school_only(client, two_hats):
    recompute(years=[YEAR])
    client.force_login(two_hats)
    url = reverse("indicators:indicator_records", args=["school_lunch_served_rate"])
    own, other = (
        client.get(url + f"?unit={unit}&year={YEAR}&part=denominator").content.decode()
        for unit in ("SA", "SB")
    )
    assert "张小明" in own
    assert "李*红" in other and "李小红" not in other


def test_an_export_logs_only_the_children_it_shows_in_full_under_the_exporting_user(
    client, two_hats
):
    from ruraledu.core.models import PersonalDataAccess

    client.force_login(two_hats)
    url = reverse("spreadsheets:export", args=["students"]) + f"?year={YEAR}"
    response = client.get(url, REMOTE_ADDR="10.0.0.7")
    b"".join(response.streaming_content)
    a = StudentPerson.objects.get(name="张小明")
    logged = PersonalDataAccess.objects.values_list("user", "subject", "purpose", "address")
    # the export as a whole and 张小明 (shown in full); not 李小红 (masked)
    assert sorted(logged) == sorted(
        [
            (two_hats.pk, f"export:students:{YEAR}:全部", "export", "10.0.0.7"),
            (two_hats.pk, f"students.studentperson:{a.pk}", "export", "10.0.0.7"),
        ]
    )


def test_a_name_search_confirms_no_name_where_names_are_masked(client, two_hats):
    # given a user who sees school A's pupils in full and school B's masked
    client.force_login(two_hats)
    url = reverse("students:enrolment_list", args=["SB"]) + f"?year={YEAR}"
    # when they search B's list for a guessed full name, and for another one
    right = client.get(url + "&q=李小红").content.decode()
    wrong = client.get(url + "&q=王大勇").content.decode()
    # then the answer is the same list: the search tells nothing, and is not offered
    assert "李*红" in right and "李*红" in wrong
    assert 'name="q"' not in right
    # while on A's list, where names are shown in full, it works
    own = reverse("students:enrolment_list", args=["SA"]) + f"?year={YEAR}"
    assert "张小明" not in client.get(own + "&q=王大勇").content.decode()
    assert 'name="q"' in client.get(own + "&q=张").content.decode()


def test_a_superuser_taking_an_uploaders_marked_copy_is_logged_the_uploader_not(client, db):
    from django.core.files.base import ContentFile

    from ruraledu.accounts.tests.factories import UserFactory
    from ruraledu.core.models import PersonalDataAccess
    from ruraledu.spreadsheets.models import ImportJob

    uploader, root = UserFactory(username="uploader"), UserFactory(username="root")
    root.is_superuser = True
    root.save()
    job = ImportJob.objects.create(
        kind="students", year=YEAR, filename="名册.xlsx", file="imports/x.xlsx", created_by=uploader
    )
    job.error_copy.save("copy.xlsx", ContentFile(b"PK marked roster"))
    url = reverse("spreadsheets:job_error_copy", args=[job.pk])
    # the uploader takes back their own file: nothing new is read
    client.force_login(uploader)
    assert b"".join(client.get(url).streaming_content) == b"PK marked roster"
    assert not PersonalDataAccess.objects.exists()
    # a superuser reads the children an uploader sent: logged under the superuser
    client.force_login(root)
    assert client.get(url).status_code == 200
    (read,) = PersonalDataAccess.objects.all()
    assert (read.user, read.purpose) == (root, "import_copy")
    assert read.subject == f"import:students:{YEAR}:错误标注#{job.pk}"


def test_a_superuser_reading_an_uploaders_error_list_is_logged_on_the_page_and_the_api(client, db):
    from rest_framework.test import APIClient

    from ruraledu.accounts.tests.factories import UserFactory
    from ruraledu.core.models import PersonalDataAccess
    from ruraledu.spreadsheets.models import ImportJob

    uploader, root = UserFactory(username="uploader"), UserFactory(username="root")
    root.is_superuser = True
    root.save()
    # given an upload refused for a child's ID number, the error list quoting it as typed
    cell = {"sheet": "学生名册", "row": 2, "column": "身份证件号", "message": "校验位不正确"}
    job = ImportJob.objects.create(
        kind="students",
        year=YEAR,
        filename="名册.xlsx",
        file="imports/x.xlsx",
        created_by=uploader,
        status="rejected",
        errors=[{**cell, "value": "370302201301010018"}],
        error_count=1,
    )
    page = reverse("spreadsheets:job_detail", args=[job.pk])
    # the uploader reads their own list: nothing new is read
    client.force_login(uploader)
    assert "370302201301010018" in client.get(page).content.decode()
    assert not PersonalDataAccess.objects.exists()
    # a superuser reads it on the page, by the API's job and in the API's list: each logged
    client.force_login(root)
    assert "370302201301010018" in client.get(page).content.decode()
    api = APIClient()
    api.force_authenticate(root)
    assert api.get(f"/api/v1/import-jobs/{job.pk}/").json()["errors"][0]["value"]
    assert api.get("/api/v1/import-jobs/").status_code == 200
    reads = PersonalDataAccess.objects.values_list("user__username", "purpose", "subject")
    assert (
        list(reads) == [("root", "import_errors", f"import:students:{YEAR}:错误列表#{job.pk}")] * 3
    )


def test_a_masked_list_is_not_in_the_order_of_the_hidden_names(client, two_hats, school_b):
    from ruraledu.spreadsheets.testing import new_id
    from ruraledu.students.models import Enrolment

    # given, in 李小红's class at B, 阿小二 entered before 赵大一 (whose name sorts first)
    for name in ("阿小二", "赵大一"):
        person = StudentPerson(name=name, sex="1")
        person.set_id_number(new_id())
        person.save()
        Enrolment.objects.create(person=person, school=school_b, year=YEAR, grade=3)
    client.force_login(two_hats)
    body = client.get(reverse("students:enrolment_list", args=["SB"]) + f"?year={YEAR}")
    body = body.content.decode()
    # then the masked rows keep the order they were entered in, not the names' order
    assert body.index("李*红") < body.index("阿*二") < body.index("赵*一")
