"""学困生成长档案 services: who may open and work a file, the version check, the states,
and the audit rows."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ruraledu.audit.models import AuditEvent

from .. import services
from ..choices import GrowthExitReason, GrowthFileStatus, GrowthProgress
from ..models import GrowthFile, GrowthReview
from .conftest import make_pupil

ASSESSED_ON = dt.date(2025, 9, 15)


def flagged(school, name="李小红"):
    person = make_pupil(school, name=name, grade=4)
    enrolment = person.enrolments.get()
    enrolment.struggling = True
    enrolment.save(update_fields=["struggling"])
    return enrolment


def open_file(enrolment, actor, on=ASSESSED_ON):
    return services.growth_file_open(
        enrolment=enrolment,
        actor=actor,
        assessed_on=on,
        subjects="语文、数学",
        assessed_by="四年级教研组 王老师",
        assessment="期初测试语文 48 分、数学 52 分，识字量明显不足",
    )


def set_plan(file, actor, on=dt.date(2025, 9, 20)):
    file.refresh_from_db()
    return services.growth_plan_set(
        file=file,
        actor=actor,
        version=file.version,
        on=on,
        supporter="班主任 王老师",
        support="每周二、四课后一对一辅导识字和计算",
        frequency="每周 2 次",
    )


def review(file, actor, on=dt.date(2025, 11, 20), progress=GrowthProgress.IMPROVED):
    file.refresh_from_db()
    return services.growth_review_add(
        file=file,
        actor=actor,
        version=file.version,
        on=on,
        reviewer="王老师",
        progress=progress,
        note="期中语文 71 分",
    )


@pytest.fixture
def enrolment(school_a):
    return flagged(school_a)


@pytest.mark.parametrize("persona", ["school_clerk", "care_officer", "town_officer"])
def test_a_care_role_over_the_school_opens_plans_reviews_and_exits_a_file(
    enrolment, persona, request
):
    # given a care role whose reach covers school A
    user = request.getfixturevalue(persona)
    # when they work the file from assessment to exit
    file = open_file(enrolment, user)
    assert (file.status, file.version) == (GrowthFileStatus.ASSESSED, 1)
    set_plan(file, user)
    review(file, user)
    file.refresh_from_db()
    services.growth_file_exit(
        file=file,
        actor=user,
        version=file.version,
        on=dt.date(2026, 1, 10),
        reason=GrowthExitReason.CAUGHT_UP,
        note="期末语文 82 分、数学 85 分",
    )
    # then the file is exited with every step audited
    file = GrowthFile.objects.get()
    assert (file.status, file.version, file.exited_on) == (
        GrowthFileStatus.EXITED,
        4,
        dt.date(2026, 1, 10),
    )
    assert (file.plan_set_on, file.last_review_on) == (dt.date(2025, 9, 20), dt.date(2025, 11, 20))
    review_row = GrowthReview.objects.get()
    assert (review_row.year, review_row.semester) == (2025, 1)
    summaries = list(
        AuditEvent.objects.filter(object_id=str(file.pk), content_type__model="growthfile")
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        "学困生成长档案：认定并建档",
        "学困生成长档案：帮扶计划",
        "学困生成长档案：2025学年第1学期评估（明显进步）",
        "学困生成长档案：转出（学业达到年级要求）",
    ]


@pytest.mark.parametrize("persona", ["outsider", "district_leader", "inspector"])
def test_roles_without_care_reach_over_the_school_cannot_open_a_file(enrolment, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        open_file(enrolment, user)
    assert not GrowthFile.objects.exists()
    assert not AuditEvent.objects.filter(content_type__model="growthfile").exists()


@pytest.mark.parametrize("persona", ["outsider", "district_leader", "inspector"])
def test_roles_without_care_reach_cannot_change_a_file_and_nothing_changes(
    enrolment, school_clerk, persona, request
):
    # given a file with a plan at school A
    file = open_file(enrolment, school_clerk)
    set_plan(file, school_clerk)
    file.refresh_from_db()
    audits = AuditEvent.objects.count()
    user = request.getfixturevalue(persona)
    # when someone outside the school's care reach tries each step, then each is refused
    with pytest.raises(PermissionDenied):
        set_plan(file, user)
    with pytest.raises(PermissionDenied):
        review(file, user)
    with pytest.raises(PermissionDenied):
        services.growth_file_exit(
            file=file,
            actor=user,
            version=file.version,
            on=dt.date(2025, 10, 1),
            reason=GrowthExitReason.REASSESSED,
        )
    # and nothing changed
    after = GrowthFile.objects.get()
    assert (after.version, after.status, after.supporter) == (2, "supported", "班主任 王老师")
    assert not GrowthReview.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_a_pupil_not_flagged_gets_no_file(school_a, school_clerk):
    enrolment = make_pupil(school_a).enrolments.get()
    with pytest.raises(ValidationError, match="没有标记为学困生"):
        open_file(enrolment, school_clerk)
    assert not GrowthFile.objects.exists()


def test_a_file_cannot_be_assessed_before_the_pupil_was_born(enrolment, school_clerk):
    # given a pupil born on 1 May 2012
    with pytest.raises(ValidationError, match="认定日期不能早于该学生的出生日期"):
        open_file(enrolment, school_clerk, on=dt.date(1900, 1, 1))
    assert not GrowthFile.objects.exists()
    # the day of birth itself is possible
    birth_date = enrolment.person.birth_date
    assert open_file(enrolment, school_clerk, on=birth_date).assessed_on == birth_date


def test_a_second_open_file_is_refused_but_a_new_one_after_exit_is_allowed(enrolment, school_clerk):
    file = open_file(enrolment, school_clerk)
    with pytest.raises(ValidationError, match="已有成长档案"):
        open_file(enrolment, school_clerk)
    services.growth_file_exit(
        file=file,
        actor=school_clerk,
        version=file.version,
        on=dt.date(2025, 10, 1),
        reason=GrowthExitReason.REASSESSED,
    )
    open_file(enrolment, school_clerk, on=dt.date(2025, 10, 8))
    assert GrowthFile.objects.count() == 2


def test_a_stale_form_is_refused_and_the_newer_plan_kept(enrolment, school_clerk, care_officer):
    # given two officers who read the file at version 1
    file = open_file(enrolment, school_clerk)
    set_plan(file, care_officer)  # the first saves (version 2)
    # when the second saves with the version they read
    with pytest.raises(ValidationError, match="第 1 版，现在是第 2 版"):
        services.growth_plan_set(
            file=file,
            actor=school_clerk,
            version=1,
            on=dt.date(2025, 9, 21),
            supporter="数学老师",
            support="另一个计划，另一个计划，另一个计划",
            frequency="每周 1 次",
        )
    # then the first officer's plan stands
    assert GrowthFile.objects.get().supporter == "班主任 王老师"


def test_a_review_is_added_from_a_copy_read_before_another_save(
    enrolment, school_clerk, care_officer
):
    # given the clerk read the planned file at version 2, then the officer revised the plan
    file = open_file(enrolment, school_clerk)
    set_plan(file, care_officer)
    set_plan(file, care_officer, on=dt.date(2025, 9, 25))
    of_file = AuditEvent.objects.filter(object_id=str(file.pk), content_type__model="growthfile")
    audited = of_file.count()
    # when the clerk adds a review with the version they read
    added = services.growth_review_add(
        file=file,
        actor=school_clerk,
        version=2,
        on=dt.date(2025, 11, 20),
        reviewer="王老师",
        progress=GrowthProgress.IMPROVED,
        note="期中语文 71 分",
    )
    # then it is saved next to the officer's plan, and audited
    after = GrowthFile.objects.get()
    assert list(GrowthReview.objects.values_list("pk", "recorded_by")) == [
        (added.pk, school_clerk.pk)
    ]
    assert (after.version, after.last_review_on, after.plan_set_on) == (
        4,
        dt.date(2025, 11, 20),
        dt.date(2025, 9, 25),
    )
    assert of_file.count() == audited + 1
    assert of_file.order_by("-at", "-pk").first().actor == school_clerk
    # the review's own row keeps its words
    (row,) = AuditEvent.objects.filter(content_type__model="growthreview")
    assert (row.object_id, row.actor, row.after["note"]) == (
        str(added.pk),
        school_clerk,
        "期中语文 71 分",
    )


def test_reviews_need_a_plan_and_exit_for_catching_up_needs_a_review(enrolment, school_clerk):
    file = open_file(enrolment, school_clerk)
    with pytest.raises(ValidationError, match="请先制定帮扶计划"):
        review(file, school_clerk)
    set_plan(file, school_clerk)
    file.refresh_from_db()
    with pytest.raises(ValidationError, match="请先记录一次阶段评估"):
        services.growth_file_exit(
            file=file,
            actor=school_clerk,
            version=file.version,
            on=dt.date(2025, 10, 1),
            reason=GrowthExitReason.CAUGHT_UP,
        )
    assert GrowthFile.objects.get().status == GrowthFileStatus.SUPPORTED


def test_an_exited_file_takes_no_more_steps(enrolment, school_clerk):
    file = open_file(enrolment, school_clerk)
    services.growth_file_exit(
        file=file,
        actor=school_clerk,
        version=file.version,
        on=dt.date(2025, 10, 1),
        reason=GrowthExitReason.TRANSFERRED,
    )
    with pytest.raises(ValidationError, match="已转出"):
        set_plan(file, school_clerk, on=dt.date(2025, 10, 2))
