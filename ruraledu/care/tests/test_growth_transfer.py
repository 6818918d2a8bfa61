"""A 学困生 who changes school (转学 within the year, 小升初 into a new year): the open file stays
at the former school until the new one takes it over; then it, its plan and its reviews are
the new school's, and the former school no longer sees it. No list links a file its reader
may not open."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from ruraledu.audit.models import AuditEvent
from ruraledu.orgunits.tests.factories import SchoolFactory
from ruraledu.students.models import Enrolment

from .. import services
from ..choices import GrowthFileStatus
from ..models import GrowthFile
from ..services.growth import TAKE_OVER_FIRST
from .conftest import confirm_transfer
from .test_growth_services import flagged, open_file, review, set_plan


@pytest.fixture(name="file")
def planned_file(school_a, school_clerk):
    """A file with a plan and a review at school A (in the first term of 2025)."""
    file = open_file(flagged(school_a), school_clerk)
    set_plan(file, school_clerk)
    review(file, school_clerk)
    file.refresh_from_db()
    return file


def moved(file, school, year=None):
    """The pupil's enrolment moved to `school` (a confirmed 转学), or a new one there in
    `year` (小升初): what either leaves in the roster."""
    enrolment = Enrolment.objects.get(person=file.person_id)
    if year is None:
        enrolment.school = school
        enrolment.save(update_fields=["school"])
        return enrolment
    return Enrolment.objects.create(
        person_id=file.person_id, school=school, year=year, grade=7, struggling=True
    )


def growth_list(client, user, year=2025):
    """The list's entries, after its filters."""
    client.force_login(user)
    body = client.get(reverse("care:growth_list"), {"year": year}).content.decode()
    return body.split('data-testid="growth-list"')[1]


def test_the_new_school_sees_the_file_elsewhere_unlinked_and_takes_it_over(
    client, file, school_b, outsider
):
    # given the pupil now at school B, the file still at A
    enrolment = moved(file, school_b)
    # when B's clerk opens the list
    listed = growth_list(client, outsider)
    # then the pupil shows the file as elsewhere, with no link to it and no new file offered
    assert "档案在其他学校" in listed and "接收档案" in listed
    filters = client.get(reverse("care:growth_list"), {"year": 2025}).content.decode()
    assert "档案在其他学校 1" in filters
    assert reverse("care:growth_detail", args=[file.pk]) not in listed
    assert reverse("care:growth_open", args=[enrolment.pk]) not in listed
    # and a new file is refused with the way to take over the old one
    with pytest.raises(ValidationError) as refused:
        open_file(enrolment, outsider)
    assert refused.value.messages == [TAKE_OVER_FIRST]
    # when the clerk takes the file over
    response = client.post(reverse("care:growth_take_over", args=[enrolment.pk]))
    # then the file, its plan and review are B's, and the page opens on it
    assert response.status_code == 302
    assert response.url == reverse("care:growth_detail", args=[file.pk])
    file.refresh_from_db()
    assert (file.school, file.unit, file.version) == (school_b, school_b.org_unit, 4)
    assert file.reviews.count() == 1 and file.supporter == "班主任 王老师"
    page = client.get(response.url).content.decode()
    assert "期中语文 71 分" in page
    # and the hand-over is audited with the schools before and after
    event = AuditEvent.objects.for_record(
        content_type=ContentType.objects.get_for_model(GrowthFile), object_id=file.pk
    ).latest("pk")
    assert event.actor == outsider
    assert event.before["school"] != event.after["school"] == school_b.pk
    assert "乙镇中心小学" in event.summary


def test_once_taken_the_former_school_no_longer_sees_or_works_the_file(
    client, file, school_a, school_b, school_clerk, outsider
):
    # given a pupil gone to B after 小升初 (a new year's enrolment), and B has taken the file
    later = moved(file, school_b, year=2026)
    services.growth_file_take_over(enrolment=later, actor=outsider)
    # then A's list of last year shows the file elsewhere, without link or hand-over
    listed = growth_list(client, school_clerk, year=2025)
    assert "档案在其他学校" in listed
    assert reverse("care:growth_detail", args=[file.pk]) not in listed
    assert "接收档案" not in listed
    # and A can neither open the file nor add to it
    assert client.get(reverse("care:growth_detail", args=[file.pk])).status_code == 404
    plan = reverse("care:growth_step", args=[file.pk, "plan"])
    assert client.post(plan, {"plan-version": 4}).status_code == 404
    # nor take it back through its old enrolment
    old = Enrolment.objects.get(person=file.person_id, year=2025)
    response = client.post(reverse("care:growth_take_over", args=[old.pk]), follow=True)
    assert "已有更新学年的学籍" in response.content.decode()
    file.refresh_from_db()
    assert file.school == school_b


def test_taking_over_twice_audits_once(file, school_b, outsider):
    enrolment = moved(file, school_b)
    first = services.growth_file_take_over(enrolment=enrolment, actor=outsider)
    second = services.growth_file_take_over(enrolment=enrolment, actor=outsider)
    assert first.pk == second.pk == file.pk
    events = AuditEvent.objects.for_record(
        content_type=ContentType.objects.get_for_model(GrowthFile), object_id=file.pk
    )
    assert events.filter(summary__contains="接收").count() == 1


def test_a_school_that_does_not_hold_the_pupil_cannot_take_the_file(
    client, file, school_a, school_b, outsider, school_clerk
):
    # given the pupil still at A: B's clerk posts A's enrolment
    enrolment = Enrolment.objects.get(person=file.person_id)
    client.force_login(outsider)
    response = client.post(reverse("care:growth_take_over", args=[enrolment.pk]))
    # then nothing is found and nothing moves
    assert response.status_code == 404
    file.refresh_from_db()
    assert file.school == school_a


def test_an_exited_file_is_not_taken_over_and_the_new_school_opens_its_own(
    client, file, school_b, school_clerk, outsider
):
    # given A closed the file before the pupil left for B
    services.growth_file_exit(
        file=file, actor=school_clerk, version=None, on=file.assessed_on, reason="reassessed"
    )
    enrolment = moved(file, school_b)
    # then B's list offers a new file and links not A's closed one
    listed = growth_list(client, outsider)
    assert reverse("care:growth_open", args=[enrolment.pk]) in listed
    assert reverse("care:growth_detail", args=[file.pk]) not in listed
    assert "接收档案" not in listed
    # and there is nothing to take over, while a new file opens at B
    with pytest.raises(ValidationError, match="没有未结束的成长档案"):
        services.growth_file_take_over(enrolment=enrolment, actor=outsider)
    assert open_file(enrolment, outsider).school == school_b


def test_a_town_office_over_both_schools_opens_the_file_and_may_hand_it_over(
    client, file, town_a, town_officer
):
    # given the pupil moved to another school of the same town: the office sees both
    neighbour = SchoolFactory(
        org_unit__code="SA2", org_unit__name="甲镇第二小学", org_unit__parent=town_a
    )
    enrolment = moved(file, neighbour)
    # then its list links the file where it is, and offers the hand-over to the new school
    listed = growth_list(client, town_officer)
    assert reverse("care:growth_detail", args=[file.pk]) in listed
    assert reverse("care:growth_take_over", args=[enrolment.pk]) in listed
    client.post(reverse("care:growth_take_over", args=[enrolment.pk]))
    file.refresh_from_db()
    assert file.school == neighbour


def test_the_former_school_cannot_close_the_file_as_transferred_to_a_school_here(
    file, school_b, school_clerk
):
    # given the pupil now at school B, the file still at A
    moved(file, school_b)
    # when A closes it as 转学: refused, B takes it over instead
    with pytest.raises(ValidationError, match="已在乙镇中心小学就读"):
        services.growth_file_exit(
            file=file, actor=school_clerk, version=None, on=file.assessed_on, reason="transferred"
        )
    file.refresh_from_db()
    assert file.status != "exited"


def test_a_confirmed_transfer_tells_the_new_school_to_take_over_the_open_file(
    file, school_b, outsider, school_clerk, django_capture_on_commit_callbacks
):
    from ruraledu.reporting.models import Notification

    # when school A confirms the pupil's transfer to school B
    with django_capture_on_commit_callbacks(execute=True):
        transfer = confirm_transfer(file.person_id, school_b, school_clerk)
    # then B's clerk is told, without the child's name, where to take the file over
    (notice,) = Notification.objects.filter(recipient=outsider)
    assert notice.title == "转入学生有学困生成长档案待接收（乙镇中心小学）"
    assert "接收档案" in notice.body and file.person.name not in notice.body + notice.title
    assert notice.url == (
        f"{reverse('care:growth_list')}?year={transfer.year}"
        f"&unit={school_b.org_unit.pk}&state=elsewhere"
    )
    # and no one at the former school is told
    assert not Notification.objects.filter(recipient=school_clerk).exists()


def test_a_transfer_without_an_open_file_tells_no_one(
    file, school_b, outsider, school_clerk, django_capture_on_commit_callbacks
):
    from ruraledu.reporting.models import Notification

    # given the file closed before the move (the pupil caught up)
    file.status = GrowthFileStatus.EXITED
    file.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        confirm_transfer(file.person_id, school_b, school_clerk)
    assert not Notification.objects.exists()


def test_the_notice_gives_the_local_day_of_the_confirmation(
    file, school_b, outsider, school_clerk, django_capture_on_commit_callbacks
):
    import datetime as dt

    from ruraledu.reporting.models import Notification

    from ..services.growth import growth_file_transfer_notice

    transfer = confirm_transfer(file.person_id, school_b, school_clerk)
    Notification.objects.all().delete()
    # confirmed at 01:00 on 1 October in Beijing, still 30 September in UTC
    transfer.decided_at = dt.datetime(2025, 9, 30, 17, 0, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        growth_file_transfer_notice(transfer=transfer)
    (notice,) = Notification.objects.filter(recipient=outsider)
    assert "转学已于 2025年10月01日 确认" in notice.body
