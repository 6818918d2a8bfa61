"""The publicity list (公示名单): masked names, no ID numbers, no reasons; a public link that
answers until its end date and then 410; out of reach is 404."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from ruraledu.audit.models import AuditEvent

from ..models import AidPublicity
from ..services import publicity_end, publicity_publish
from .conftest import YEAR, enrol, grant


@pytest.fixture
def grants(school_a):
    first = enrol(school_a, "张小明", orphan=True, grade=4)
    grant(first, school_a)
    grant(
        enrol(school_a, "欧阳娜娜", family_status="monitored"), school_a, "nutrition", amount="400"
    )
    grant(enrol(school_a, "李四", left_behind=True), school_a, semester=2)  # other term
    return first


def publish(user, school, *, starts=None, ends=None):
    today = timezone.localdate()
    return publicity_publish(
        school=school,
        year=YEAR,
        semester=1,
        starts_on=starts or today,
        ends_on=ends or today + dt.timedelta(days=7),
        actor=user,
    )


def test_the_list_holds_masked_names_grade_kind_and_amount_only(care_officer, school_a, grants):
    item = publish(care_officer, school_a)
    assert item.rows == [
        {
            "name": "张*明",
            "grade": 4,
            "kind": "义务教育家庭经济困难学生生活补助",
            "amount": "500.00",
        },
        {"name": "欧**娜", "grade": 3, "kind": "营养膳食补助", "amount": "400.00"},
    ]
    assert len(item.token) >= 40
    event = AuditEvent.objects.get(content_type__model="aidpublicity", object_id=str(item.pk))
    assert event.action == "create"


def test_the_masked_names_are_not_in_the_order_of_the_hidden_names(care_officer, school_a):
    # given two grants of one kind, 阿小二's recorded before 赵大一's (whose name sorts first)
    for name in ("阿小二", "赵大一"):
        grant(enrol(school_a, name, grade=4), school_a)
    item = publish(care_officer, school_a)
    # then the public list keeps the order they were recorded in, not the names' order
    assert [row["name"] for row in item.rows] == ["阿*二", "赵*一"]


def test_the_public_page_answers_without_login_and_shows_no_id_or_reason(
    client, care_officer, school_a, grants
):
    item = publish(care_officer, school_a)
    response = client.get(reverse("aid:public", args=[item.token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "张*明" in html and "张小明" not in html and "欧**娜" in html
    assert grants.masked_id not in html and grants.id_hint not in html
    assert "孤儿" not in html and "防止返贫" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_after_its_end_date_the_link_answers_410_with_a_chinese_message(
    client, care_officer, school_a, grants
):
    today = timezone.localdate()
    item = publish(
        care_officer,
        school_a,
        starts=today - dt.timedelta(days=8),
        ends=today - dt.timedelta(days=1),
    )
    response = client.get(reverse("aid:public", args=[item.token]))
    assert response.status_code == 410
    assert "本公示已于" in response.content.decode() and "张*明" not in response.content.decode()


def test_on_its_end_date_the_link_still_answers(client, care_officer, school_a, grants):
    today = timezone.localdate()
    item = publish(care_officer, school_a, starts=today - dt.timedelta(days=3), ends=today)
    assert client.get(reverse("aid:public", args=[item.token])).status_code == 200


def test_an_unknown_token_or_a_list_not_yet_started_is_404(client, care_officer, school_a, grants):
    assert client.get(reverse("aid:public", args=["x" * 43])).status_code == 404
    later = timezone.localdate() + dt.timedelta(days=2)
    item = publish(care_officer, school_a, starts=later, ends=later)
    assert client.get(reverse("aid:public", args=[item.token])).status_code == 404


def test_ending_early_stops_the_link(client, care_officer, school_a, grants):
    item = publish(care_officer, school_a)
    client.force_login(care_officer)
    assert client.post(reverse("aid:publicity_end", args=[item.pk])).status_code == 302
    client.logout()
    assert client.get(reverse("aid:public", args=[item.token])).status_code == 410
    assert AuditEvent.objects.filter(object_id=str(item.pk), action="update").count() == 1


def test_a_list_already_over_is_not_ended_again(client, care_officer, school_a, grants):
    # given a list that ran until a week ago
    today = timezone.localdate()
    ended = today - dt.timedelta(days=7)
    item = publish(care_officer, school_a, starts=ended - dt.timedelta(days=5), ends=ended)
    # when the officer ends it (a page loaded before, a second click), then it is refused
    client.force_login(care_officer)
    response = client.post(reverse("aid:publicity_end", args=[item.pk]), follow=True)
    body = response.content.decode()
    # once, as a refusal (the page also printed it again, in green)
    assert body.count(f"该公示已于 {ended:%Y-%m-%d} 结束。") == 1
    assert "alert-danger" in body and "alert-success" not in body
    # and its record keeps the days it really ran, with nothing audited
    item.refresh_from_db()
    assert (item.starts_on, item.ends_on) == (ended - dt.timedelta(days=5), ended)
    assert not AuditEvent.objects.filter(object_id=str(item.pk), action="update").exists()


def test_a_list_not_yet_started_is_withdrawn_never_recorded_as_public(
    client, care_officer, school_a, grants, monkeypatch
):
    # given a list published to run from the day after tomorrow
    today = timezone.localdate()
    starts, ends = today + dt.timedelta(days=2), today + dt.timedelta(days=9)
    item = publish(care_officer, school_a, starts=starts, ends=ends)
    client.force_login(care_officer)
    page = client.get(reverse("aid:publicity")).content.decode()
    assert "撤回公示" in page and "提前结束公示" not in page
    # when the officer takes it back
    response = client.post(reverse("aid:publicity_end", args=[item.pk]), follow=True)
    # then it is withdrawn: its dates stay as published, nothing says it was ever public
    assert response.content.decode().count("公示已撤回，名单未曾公开") == 1  # shown once
    item.refresh_from_db()
    assert (item.starts_on, item.ends_on, item.withdrawn_on) == (starts, ends, today)
    event = AuditEvent.objects.get(object_id=str(item.pk), action="update")
    assert event.summary == "撤回尚未开始的资助公示"
    assert event.after["withdrawn_on"] == today.isoformat()
    # and the page says so, with no link and no button
    page = client.get(reverse("aid:publicity")).content.decode()
    assert f"已于 {today:%Y-%m-%d} 撤回，未曾公开" in page and "撤回公示" not in page
    assert 'data-testid="public-link"' not in page
    # and its link never answers, not even on the days it was to run
    client.logout()
    monkeypatch.setattr(timezone, "localdate", lambda: starts + dt.timedelta(days=1))
    assert client.get(reverse("aid:public", args=[item.token])).status_code == 404
    monkeypatch.undo()
    # and taking it back again is refused, with nothing more audited
    with pytest.raises(ValidationError, match="撤回"):
        publicity_end(publicity=item, today=today, actor=care_officer)
    assert AuditEvent.objects.filter(object_id=str(item.pk), action="update").count() == 1


def test_another_schools_officer_cannot_publish_or_end_it(
    client, outsider, care_officer, school_a, grants
):
    with pytest.raises(Http404):
        publish(outsider, school_a)
    item = publish(care_officer, school_a)
    client.force_login(outsider)
    assert client.post(reverse("aid:publicity_end", args=[item.pk])).status_code == 404
    assert AidPublicity.objects.get().ends_on == item.ends_on


def test_a_read_only_role_has_no_publicity_page(client, district_leader):
    client.force_login(district_leader)
    assert client.get(reverse("aid:publicity")).status_code == 404


def test_a_list_longer_than_thirty_days_or_with_nothing_to_post_is_refused(
    care_officer, school_a, school_b, grants
):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        publish(care_officer, school_a, ends=today + dt.timedelta(days=31))
    with pytest.raises(ValidationError):
        publicity_publish(
            school=school_a,
            year=YEAR - 1,
            semester=1,
            starts_on=today,
            ends_on=today,
            actor=care_officer,
        )
    assert not AidPublicity.objects.exists()


def _publish(client, school):
    """The page's form sent for `school`, first term, a five-day notice from today."""
    today = timezone.localdate()
    return client.post(
        reverse("aid:publicity") + f"?year={YEAR}",
        {
            "school": school.pk,
            "semester": 1,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=5)).isoformat(),
        },
    )


def test_the_page_publishes_for_the_officers_school(client, care_officer, school_a, grants):
    client.force_login(care_officer)
    response = _publish(client, school_a)
    assert response.status_code == 302
    item = AidPublicity.objects.get()
    assert (item.school_id, item.semester, len(item.rows)) == (school_a.pk, 1, 2)
    assert item.created_by == care_officer


def test_a_refusal_naming_a_field_not_on_the_form_shows_on_the_page(
    client, care_officer, school_a, grants, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError({"rows": ["公示内容过长。"]})

    monkeypatch.setattr("ruraledu.aid.services.publicity_publish", refuse)
    client.force_login(care_officer)
    response = _publish(client, school_a)
    assert response.status_code == 200
    assert "公示内容：公示内容过长。" in response.content.decode()
    assert not AidPublicity.objects.exists()
