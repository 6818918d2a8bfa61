"""The care services: scope refusals (nothing written), the rules, and an audit row per write."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ruraledu.audit.models import AuditEvent
from ruraledu.core.schoolyear import school_year_of
from ruraledu.students.models import Enrolment

from .. import services
from ..choices import ContactKind
from ..models import CareContact, RoomActivity
from .conftest import make_child, make_teacher

TODAY = timezone.localdate()
YEAR = school_year_of(TODAY)


def audits(model):
    return AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(model))


@pytest.fixture
def child(school_a):
    return make_child(school_a, "王小留", YEAR, left_behind=True)


@pytest.fixture
def teacher(school_a):
    return make_teacher(school_a, "李老师", YEAR)


def test_it_assigns_a_mentor_from_the_schools_staff_and_audits_it(child, teacher, care_officer):
    # when
    services.mentor_assign(enrolment=child, mentor=teacher, actor=care_officer)
    # then
    assert Enrolment.objects.get(pk=child.pk).mentor_id == teacher.pk
    event = audits(Enrolment).get(object_id=str(child.pk))
    assert event.before == {"mentor": None}
    assert event.after == {"mentor": teacher.pk}
    assert event.actor == care_officer
    assert event.summary == "留守与困境儿童关爱：指定成长导师 李老师"


def test_it_withdraws_a_mentor(child, teacher, care_officer):
    services.mentor_assign(enrolment=child, mentor=teacher, actor=care_officer)
    services.mentor_assign(enrolment=child, mentor=None, actor=care_officer)
    assert Enrolment.objects.get(pk=child.pk).mentor_id is None
    assert audits(Enrolment).count() == 2


def test_it_refuses_a_mentor_from_another_school(child, school_b, care_officer):
    stranger = make_teacher(school_b, "外校老师", YEAR)
    with pytest.raises(ValidationError, match="本校本学年在职"):
        services.mentor_assign(enrolment=child, mentor=stranger, actor=care_officer)
    assert Enrolment.objects.get(pk=child.pk).mentor_id is None
    assert not audits(Enrolment).exists()


def test_it_refuses_a_mentor_who_held_no_post_that_year(child, school_a, care_officer):
    former = make_teacher(school_a, "去年老师", YEAR - 1)
    with pytest.raises(ValidationError):
        services.mentor_assign(enrolment=child, mentor=former, actor=care_officer)


@pytest.mark.parametrize("who", ["outsider", "district_leader", "inspector"])
def test_users_without_care_reach_at_the_school_cannot_assign(request, who, child, teacher):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.mentor_assign(enrolment=child, mentor=teacher, actor=actor)
    assert Enrolment.objects.get(pk=child.pk).mentor_id is None
    assert not audits(Enrolment).exists()


@pytest.mark.parametrize("who", ["town_officer", "district_admin", "school_clerk"])
def test_the_town_office_the_bureau_and_the_clerk_may_assign(request, who, child, teacher):
    services.mentor_assign(enrolment=child, mentor=teacher, actor=request.getfixturevalue(who))
    assert Enrolment.objects.get(pk=child.pk).mentor_id == teacher.pk


def test_a_child_not_on_the_care_list_gets_no_mentor_here(school_a, teacher, care_officer):
    plain = make_child(school_a, "张普通", YEAR)
    with pytest.raises(ValidationError, match="不在关爱名单中"):
        services.mentor_assign(enrolment=plain, mentor=teacher, actor=care_officer)


def test_it_logs_a_home_visit_with_an_audit_row(child, care_officer):
    # when
    contact = services.contact_add(
        enrolment=child,
        actor=care_officer,
        on=TODAY,
        kind=ContactKind.HOME_VISIT,
        who="李老师",
        content="到家中看望，奶奶照料，作业按时完成。",
        follow_up="下月电话回访",
    )
    # then
    stored = CareContact.objects.get()
    assert (stored.pk, stored.person_id, stored.unit_id, stored.year) == (
        contact.pk,
        child.person_id,
        child.school.org_unit_id,
        YEAR,
    )
    event = audits(CareContact).get()
    assert event.action == "create"
    assert event.after["kind"] == "home_visit"
    assert event.summary == "留守与困境儿童关爱：家访记录"


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (TODAY + dt.timedelta(days=1), "不能晚于今天"),
        (dt.date(YEAR, 8, 31), "学年内"),
    ],
)
def test_it_refuses_a_contact_dated_in_the_future_or_outside_the_year(
    child, care_officer, on, message
):
    with pytest.raises(ValidationError, match=message):
        services.contact_add(
            enrolment=child,
            actor=care_officer,
            on=on,
            kind=ContactKind.PHONE,
            who="李老师",
            content="电话联系监护人。",
        )
    assert not CareContact.objects.exists()


def test_it_refuses_an_empty_contact(child, care_officer):
    with pytest.raises(ValidationError, match="联系内容"):
        services.contact_add(
            enrolment=child, actor=care_officer, on=TODAY, kind="phone", who="李", content=" "
        )


def test_an_outsider_cannot_log_a_contact(child, outsider):
    with pytest.raises(PermissionDenied):
        services.contact_add(
            enrolment=child,
            actor=outsider,
            on=TODAY,
            kind=ContactKind.PHONE,
            who="外校",
            content="电话联系监护人。",
        )
    assert not CareContact.objects.exists()
    assert not audits(CareContact).exists()


def test_it_logs_a_care_room_activity(school_a, care_officer):
    services.activity_add(
        school=school_a, actor=care_officer, on=TODAY, title="亲情视频通话", participants=12,
        led_by="王老师",
    )  # fmt: skip
    activity = RoomActivity.objects.get()
    assert (activity.unit_id, activity.year, activity.participants) == (
        school_a.org_unit_id,
        YEAR,
        12,
    )
    assert audits(RoomActivity).get().summary == "留守儿童关爱室活动记录"


def test_it_refuses_an_activity_elsewhere_or_without_participants(school_a, school_b, care_officer):
    with pytest.raises(PermissionDenied):
        services.activity_add(
            school=school_b, actor=care_officer, on=TODAY, title="生日会", participants=5,
            led_by="王老师",
        )  # fmt: skip
    with pytest.raises(ValidationError, match="至少为 1 人"):
        services.activity_add(
            school=school_a, actor=care_officer, on=TODAY, title="生日会", participants=0,
            led_by="王老师",
        )  # fmt: skip
    assert not RoomActivity.objects.exists()
