"""The pages: a permission matrix (anonymous, read-only, in scope, out of scope), names only to
care roles, hardship details only with personal-data rights, and every name shown logged."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ruraledu.core.models import PersonalDataAccess
from ruraledu.core.schoolyear import school_year_of
from ruraledu.students.models import Enrolment

from ..models import CareContact, RoomActivity
from .conftest import make_child, make_teacher

YEAR = school_year_of(timezone.localdate())


@pytest.fixture
def children(school_a, school_b):
    from ruraledu.core.models import SchoolYear

    SchoolYear.objects.update_or_create(year=YEAR, defaults={"is_current": True})
    return {
        "left": make_child(school_a, "王小留", YEAR, left_behind=True),
        "orphan": make_child(school_a, "王小孤", YEAR, orphan=True),
        "far": make_child(school_b, "李远方", YEAR, left_behind=True),
    }


@pytest.fixture
def teacher(school_a):
    return make_teacher(school_a, "李老师", YEAR)


def _login(client, user):
    client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_log_in(client, children):
    for url in (
        reverse("leftbehind:overview"),
        reverse("leftbehind:child_list"),
        reverse("leftbehind:child_detail", args=[children["left"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response.url


@pytest.mark.parametrize("who", ["district_leader", "inspector"])
def test_read_only_roles_see_counts_and_no_names(request, client, children, who):
    _login(client, request.getfixturevalue(who))
    # the counts
    response = client.get(reverse("leftbehind:overview"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "王小留" not in text and "王小孤" not in text
    assert "本学期未联系名单" not in text
    # no list, no child
    assert client.get(reverse("leftbehind:child_list")).status_code == 404
    url = reverse("leftbehind:child_detail", args=[children["left"].pk])
    assert client.get(url).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_leaders_overview_counts_every_town(client, children, district_leader):
    response = _login(client, district_leader).get(reverse("leftbehind:overview"))
    assert response.context["totals"]["total"] == 3
    assert response.context["totals"]["missing"] == 3


def test_the_care_officer_sees_the_schools_children_by_name_and_each_read_is_logged(
    client, children, care_officer
):
    # when
    response = _login(client, care_officer).get(reverse("leftbehind:child_list"))
    # then
    assert response.status_code == 200
    text = response.content.decode()
    assert "王小留" in text and "王小孤" in text and "孤儿" in text
    assert "李远方" not in text
    logged = set(PersonalDataAccess.objects.values_list("subject", "purpose"))
    assert logged == {
        (f"students.studentperson:{children['left'].person_id}", "leftbehind_list"),
        (f"students.studentperson:{children['orphan'].person_id}", "leftbehind_list"),
    }


def test_the_town_office_sees_names_but_not_the_hardship_details(client, children, town_officer):
    response = _login(client, town_officer).get(reverse("leftbehind:child_list"))
    text = response.content.decode()
    assert "王小孤" in text
    assert "孤儿" not in text
    assert "困境（详情限学校和区级专干查看）" in text


def test_a_child_of_another_school_is_not_found(client, children, care_officer, teacher):
    _login(client, care_officer)
    far = children["far"]
    assert client.get(reverse("leftbehind:child_detail", args=[far.pk])).status_code == 404
    response = client.post(
        reverse("leftbehind:contact_add", args=[far.pk]),
        {
            "on": timezone.localdate().isoformat(),
            "kind": "phone",
            "who": "赵",
            "content": "电话联系。",
        },
    )
    assert response.status_code == 404
    assert not CareContact.objects.exists()


def test_a_child_not_on_the_list_is_not_found(client, school_a, care_officer):
    plain = make_child(school_a, "张普通", YEAR)
    url = reverse("leftbehind:child_detail", args=[plain.pk])
    assert _login(client, care_officer).get(url).status_code == 404


def test_the_officer_assigns_a_mentor_and_logs_a_visit(client, children, care_officer, teacher):
    _login(client, care_officer)
    child = children["left"]
    # when
    response = client.post(
        reverse("leftbehind:mentor_assign", args=[child.pk]), {"mentor": teacher.pk}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("leftbehind:contact_add", args=[child.pk]),
        {
            "on": timezone.localdate().isoformat(),
            "kind": "home_visit",
            "who": "李老师",
            "content": "家访，奶奶身体好，孩子作业按时完成。",
            "follow_up": "",
        },
    )
    # then
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=child.pk).mentor_id == teacher.pk
    assert CareContact.objects.get().kind == "home_visit"
    page = client.get(reverse("leftbehind:child_list") + "?show=nocontact")
    names = [c.person.name for c in page.context["page_obj"]]
    assert names == ["王小孤"]


def test_a_mentor_from_another_school_is_refused_on_the_form(
    client, children, care_officer, school_b
):
    stranger = make_teacher(school_b, "外校老师", YEAR)
    child = children["left"]
    response = _login(client, care_officer).post(
        reverse("leftbehind:mentor_assign", args=[child.pk]), {"mentor": stranger.pk}
    )
    assert response.status_code == 400  # not among the choices
    assert Enrolment.objects.get(pk=child.pk).mentor_id is None


def test_an_outsider_cannot_assign_a_mentor(client, children, outsider, teacher):
    child = children["left"]
    response = _login(client, outsider).post(
        reverse("leftbehind:mentor_assign", args=[child.pk]), {"mentor": teacher.pk}
    )
    assert response.status_code == 404
    assert Enrolment.objects.get(pk=child.pk).mentor_id is None


def test_the_officer_records_an_activity_and_a_reader_sees_it(
    client, children, care_officer, district_leader, school_a
):
    response = _login(client, care_officer).post(
        reverse("leftbehind:activity_list"),
        {
            "school": school_a.pk,
            "on": timezone.localdate().isoformat(),
            "title": "亲情视频通话",
            "participants": "9",
            "led_by": "王老师",
        },
    )
    assert response.status_code == 302
    assert RoomActivity.objects.get().participants == 9
    page = _login(client, district_leader).get(reverse("leftbehind:activity_list"))
    assert "亲情视频通话" in page.content.decode()
    assert page.context["form"] is None
    # a reader cannot record one
    response = client.post(reverse("leftbehind:activity_list"), {"school": school_a.pk})
    assert response.status_code == 404


def test_an_officer_cannot_record_an_activity_at_another_school(
    client, children, care_officer, school_b
):
    response = _login(client, care_officer).post(
        reverse("leftbehind:activity_list"),
        {
            "school": school_b.pk,
            "on": timezone.localdate().isoformat(),
            "title": "生日会",
            "participants": "5",
            "led_by": "王老师",
        },
    )
    assert response.status_code == 400  # not among the choices
    assert not RoomActivity.objects.exists()


def test_a_school_of_twenty_digits_is_refused_as_no_choice(client, children, care_officer):
    response = _login(client, care_officer).post(
        reverse("leftbehind:activity_list"),
        {
            "school": "99999999999999999999",
            "on": timezone.localdate().isoformat(),
            "title": "生日会",
            "participants": "5",
            "led_by": "王老师",
        },
    )
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert not RoomActivity.objects.exists()


def test_the_list_reads_a_fixed_number_of_queries(
    client, children, care_officer, school_a, django_assert_max_num_queries
):
    for index in range(20):
        make_child(school_a, f"赵留{index}", YEAR, left_behind=True)
    _login(client, care_officer)
    client.get(reverse("leftbehind:child_list"))  # warm the session and role caches
    with django_assert_max_num_queries(20):
        response = client.get(reverse("leftbehind:child_list"))
    assert len(response.context["page_obj"].object_list) == 22


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _activity_post(client, school, photo):
    return client.post(
        reverse("leftbehind:activity_list"),
        {
            "school": school.pk,
            "on": timezone.localdate().isoformat(),
            "title": "生日会",
            "participants": "7",
            "led_by": "王老师",
            "photo": photo,
        },
    )


def test_an_activity_photo_is_stored_cleaned_and_shown_to_care_roles_only(
    client, settings, tmp_path, children, care_officer, district_leader, school_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "files"
    # when
    upload = SimpleUploadedFile("活动.png", _png(), content_type="image/png")
    response = _activity_post(_login(client, care_officer), school_a, upload)
    # then: stored as a JPEG without metadata, served to the school's care officer
    assert response.status_code == 302
    activity = RoomActivity.objects.get()
    assert activity.file.name.endswith(".jpg")
    url = reverse("leftbehind:activity_photo", args=[activity.pk])
    photo = client.get(url)
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content)[:2] == b"\xff\xd8"
    assert "查看照片" in client.get(reverse("leftbehind:activity_list")).content.decode()
    # and a read-only role sees the activity, not the photo
    _login(client, district_leader)
    assert "查看照片" not in client.get(reverse("leftbehind:activity_list")).content.decode()
    assert client.get(url).status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(
    client, settings, tmp_path, children, care_officer, school_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "files"
    upload = SimpleUploadedFile("活动.jpg", b"not really a picture", content_type="image/jpeg")
    response = _activity_post(_login(client, care_officer), school_a, upload)
    assert response.status_code == 400
    assert "活动.jpg" in response.content.decode()
    assert not RoomActivity.objects.exists()
    assert not list((tmp_path / "files").rglob("*.jpg"))


def _sheet(response):
    import io

    import openpyxl

    data = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_the_list_exports_watermarked_with_each_child_logged(client, children, town_officer):
    # when the town office exports its list (no hardship rights)
    url = reverse("leftbehind:child_list") + "?format=xlsx"
    response = _login(client, town_officer).get(url, REMOTE_ADDR="10.2.3.5")
    # then
    assert response.status_code == 200
    sheet = _sheet(response)
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"王小留", "王小孤"}
    assert rows["王小孤"][5] == "困境（详情限学校和区级专干查看）"
    assert rows["王小留"][6] == "未配"
    assert sheet.oddHeader.left.text.startswith("导出人：")
    logged = PersonalDataAccess.objects.filter(purpose="leftbehind_export", address="10.2.3.5")
    assert set(logged.values_list("subject", flat=True)) == {
        f"students.studentperson:{children['left'].person_id}",
        f"students.studentperson:{children['orphan'].person_id}",
    }


@pytest.mark.parametrize("who", ["district_leader", "inspector"])
def test_read_only_roles_get_no_export(request, client, children, who):
    url = reverse("leftbehind:child_list") + "?format=xlsx"
    assert _login(client, request.getfixturevalue(who)).get(url).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_contact_form_starts_at_today_only_while_the_childs_year_runs(
    client, school_a, care_officer
):
    """A visit made today must not be filed silently under a past year's last day."""
    running = make_child(school_a, "王小今", YEAR, left_behind=True)
    past = make_child(school_a, "王小昔", YEAR - 1, left_behind=True)
    _login(client, care_officer)

    def day_field(child):
        page = client.get(reverse("leftbehind:child_detail", args=[child.pk])).content.decode()
        return re.search(r'<input type="date" name="on"[^>]*>', page).group(0)

    assert f'value="{timezone.localdate().isoformat()}"' in day_field(running)
    assert "value=" not in day_field(past)
