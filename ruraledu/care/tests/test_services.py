"""The state machine of a 控辍保学 case: every step allowed and refused, who may take it, the
version check, the event log and audit rows, and deadlines in working days."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ruraledu.audit.models import AuditEvent

from .. import services
from ..choices import CaseStatus, CloseReason, ContactKind
from ..models import CaseEvent, DropoutCase, ReturnNotice
from .conftest import FOUND_ON, WALK_PLAN, make_pupil, open_case, walk

S = CaseStatus
ALL = list(S)


@pytest.fixture
def at(pupil, care_officer, town_officer, district_admin):
    """A case of `pupil` in the given status."""

    def build(status):
        case = open_case(pupil, care_officer)
        if status == S.FOUND:
            return case
        if status == S.CLOSED:
            case = walk(case, care_officer, S.RETURNED)
            services.case_close(
                case=case,
                actor=care_officer,
                version=case.version,
                reason=CloseReason.RETURNED,
                on=FOUND_ON,
            )
            case.refresh_from_db()
            return case
        return walk(case, care_officer, status, town_actor=town_officer)

    return build


def _assign(case, user):
    return services.case_assign(
        case=case,
        actor=user,
        version=case.version,
        on=FOUND_ON,
        teacher_name="周老师",
        village_cadre="包村干部 孙四",
    )


def _contact(case, user):
    return services.case_contact_add(
        case=case,
        actor=user,
        version=case.version,
        kind=ContactKind.PHONE,
        on=FOUND_ON,
        who="周老师",
        outcome="电话联系家长",
        next_step="周末家访",
    )


def _resolve(case, user):
    return services.case_resolve(
        case=case, actor=user, version=case.version, outcome=S.RETURNED, on=FOUND_ON
    )


def _escalate(case, user):
    return services.case_escalate(
        case=case,
        actor=user,
        version=case.version,
        on=FOUND_ON,
        guardian="王大山",
        procedure="提请镇人民政府送达责令改正通知书",
    )


def _close(case, user):
    reason = {
        S.RETURNED: CloseReason.RETURNED,
        S.PLACED: CloseReason.PLACED,
        S.SICK_LEAVE: CloseReason.SICK_LEAVE,
    }.get(case.status, CloseReason.MOVED_AWAY)
    return services.case_close(
        case=case,
        actor=user,
        version=case.version,
        reason=reason,
        on=FOUND_ON,
        note="已核实：迁入地学校出具在读证明",
    )


# step -> (who takes it: officer | town | bureau, statuses it is allowed from, status after)
STEPS = {
    "assign": (
        _assign,
        "officer",
        {
            S.FOUND: S.ASSIGNED,
            S.ASSIGNED: S.ASSIGNED,
            S.CONTACTING: S.CONTACTING,
            S.ESCALATED_TOWN: S.ESCALATED_TOWN,
            S.ESCALATED_DISTRICT: S.ESCALATED_DISTRICT,
        },
    ),
    "contact": (
        _contact,
        "officer",
        {
            S.ASSIGNED: S.CONTACTING,
            S.CONTACTING: S.CONTACTING,
            S.ESCALATED_TOWN: S.ESCALATED_TOWN,
            S.ESCALATED_DISTRICT: S.ESCALATED_DISTRICT,
        },
    ),
    "resolve": (
        _resolve,
        "town",
        {S.CONTACTING: S.RETURNED, S.ESCALATED_TOWN: S.RETURNED, S.ESCALATED_DISTRICT: S.RETURNED},
    ),
    "escalate": (
        _escalate,
        "town",
        {S.CONTACTING: S.ESCALATED_TOWN, S.ESCALATED_TOWN: S.ESCALATED_DISTRICT},
    ),
    "close": (
        _close,
        "bureau",
        {
            S.FOUND: S.CLOSED,
            S.ASSIGNED: S.CLOSED,
            S.CONTACTING: S.CLOSED,
            S.RETURNED: S.CLOSED,
            S.PLACED: S.CLOSED,
            S.SICK_LEAVE: S.CLOSED,
            S.ESCALATED_TOWN: S.CLOSED,
            S.ESCALATED_DISTRICT: S.CLOSED,
        },
    ),
}
CASES = [(step, status) for step in STEPS for status in ALL]


@pytest.mark.parametrize(("step", "status"), CASES, ids=[f"{a}-{b}" for a, b in CASES])
def test_each_step_from_each_status_is_taken_or_refused_in_chinese(
    at, step, status, care_officer, town_officer, district_admin
):
    # given a case in `status`
    case = at(status)
    action, who, allowed = STEPS[step]
    user = {"officer": care_officer, "town": town_officer, "bureau": district_admin}[who]
    events = CaseEvent.objects.filter(case=case).count()
    # when the step is taken
    if status in allowed:
        action(case, user)
        # then the case moves, with one more event and a raised version
        after = DropoutCase.objects.get(pk=case.pk)
        assert after.status == allowed[status]
        assert after.version == case.version + 1
        assert CaseEvent.objects.filter(case=case).count() == events + 1
    else:
        with pytest.raises(ValidationError) as refused:
            action(case, user)
        # then nothing changed and the refusal says why in Chinese
        assert (
            "不能" in str(refused.value)
            or "请先" in str(refused.value)
            or "还没有" in str(refused.value)
        )
        after = DropoutCase.objects.get(pk=case.pk)
        assert (after.status, after.version) == (case.status, case.version)
        assert CaseEvent.objects.filter(case=case).count() == events


def test_a_school_officer_cannot_escalate_nor_close_an_escalated_case(
    at, care_officer, town_officer
):
    case = at(S.CONTACTING)
    with pytest.raises(PermissionDenied):
        _escalate(case, care_officer)
    case = walk(case, care_officer, S.ESCALATED_TOWN, town_actor=town_officer)
    for user in (care_officer, town_officer):
        with pytest.raises(PermissionDenied):
            _close(case, user)
    assert DropoutCase.objects.get(pk=case.pk).status == S.ESCALATED_TOWN


def test_school_officer_and_clerk_of_another_school_cannot_touch_the_case(
    at, outsider, district_leader, inspector
):
    case = at(S.ASSIGNED)
    for user in (outsider, district_leader, inspector):
        with pytest.raises(PermissionDenied):
            _contact(case, user)
    assert DropoutCase.objects.get(pk=case.pk).version == case.version


def test_the_clerk_works_its_schools_cases_too(at, school_clerk):
    case = at(S.ASSIGNED)
    _contact(case, school_clerk)
    assert DropoutCase.objects.get(pk=case.pk).status == S.CONTACTING


def test_a_stale_form_is_refused_and_nothing_is_lost(at, care_officer, school_clerk):
    # given two officers who read the case at the same version
    case = at(S.ASSIGNED)
    seen = case.version
    # when the first records a contact and the second then writes with the old version
    _contact(case, care_officer)
    with pytest.raises(ValidationError) as refused:
        services.case_plan_set(
            case=case,
            actor=school_clerk,
            version=seen,
            plan="每周家访一次，联系父母共同劝返",
            on=FOUND_ON,
        )
    # then the second gets a clear refusal and the first officer's contact stays
    assert "已被其他人更新" in str(refused.value)
    after = DropoutCase.objects.get(pk=case.pk)
    assert (after.status, after.plan, after.contacts.count()) == (S.CONTACTING, WALK_PLAN, 1)


def test_sick_leave_needs_the_certificate_and_placement_its_destination(at, care_officer):
    case = at(S.CONTACTING)
    with pytest.raises(ValidationError, match="诊断证明"):
        services.case_resolve(
            case=case,
            actor=care_officer,
            version=case.version,
            outcome=S.SICK_LEAVE,
            on=FOUND_ON,
        )
    with pytest.raises(ValidationError, match="安置去向"):
        services.case_resolve(
            case=case, actor=care_officer, version=case.version, outcome=S.PLACED, on=FOUND_ON
        )
    services.case_resolve(
        case=case,
        actor=care_officer,
        version=case.version,
        outcome=S.SICK_LEAVE,
        on=FOUND_ON,
        certificate_number="2025-0917",
        certificate_issuer="淄川区医院",
    )
    assert DropoutCase.objects.get(pk=case.pk).certificate_number == "2025-0917"


def test_an_outcome_closes_only_with_its_own_reason(at, care_officer):
    case = at(S.RETURNED)
    with pytest.raises(ValidationError, match="结案原因应为“已返校就读并稳定”"):
        services.case_close(
            case=case,
            actor=care_officer,
            version=case.version,
            reason=CloseReason.MOVED_AWAY,
            on=FOUND_ON,
            note="已迁出",
        )


def test_opening_a_second_case_for_a_child_links_to_the_open_one(pupil, care_officer):
    first = open_case(pupil, care_officer)
    again, created = services.case_open(
        person=pupil,
        category="suspected_out",
        source="cross_check",
        opened_on=FOUND_ON,
        actor=care_officer,
        year=2025,
    )
    assert (again.pk, created) == (first.pk, False)
    assert DropoutCase.objects.count() == 1


def test_an_officer_cannot_open_a_case_for_another_schools_pupil(school_b, care_officer):
    other = make_pupil(school_b, name="钱小丽")
    with pytest.raises(PermissionDenied, match="不存在或不在您的范围内"):
        open_case(other, care_officer)
    assert not DropoutCase.objects.exists()


def test_town_notices_are_numbered_per_town_and_year(school_a, care_officer, town_officer):
    # given two cases of the same town escalated the same year
    numbers = []
    for name in ("王小明", "刘小刚"):
        case = walk(
            open_case(make_pupil(school_a, name=name), care_officer),
            care_officer,
            S.ESCALATED_TOWN,
            town_actor=town_officer,
        )
        numbers.append(ReturnNotice.objects.get(case=case).label)
    # then they carry 1号 and 2号 of 2025
    assert numbers == ["甲镇教育办〔2025〕1号", "甲镇教育办〔2025〕2号"]


def test_deadlines_skip_the_national_day_holiday_and_count_the_swapped_saturday(
    pupil, care_officer, town_officer
):
    # given a case found on Tuesday 30 September 2025, just before the holiday
    case = open_case(pupil, care_officer, on=dt.date(2025, 9, 30))
    # then assigning is due two working days later: 1–8 October are off, 9 October is one
    # and 10 October is two
    assert case.deadline == dt.date(2025, 10, 10)
    assert case.deadline_provisional is False
    # when the town issues its notice on 30 September, 15 working days are counted:
    # 9, 10, 11 (Saturday worked), 13–17, 20–24, 27 and 28 October
    case = walk(case, care_officer, S.ESCALATED_TOWN, town_actor=town_officer)
    notice = ReturnNotice.objects.get(case=case)
    assert notice.return_by == dt.date(2025, 10, 28)
    assert case.deadline == dt.date(2025, 10, 28)


def test_every_step_is_audited_with_the_actor(at, care_officer):
    case = at(S.CONTACTING)
    rows = AuditEvent.objects.filter(object_id=str(case.pk), content_type__model="dropoutcase")
    assert list(rows.order_by("at", "pk").values_list("action", flat=True)) == [
        "create",
        "transition",
        "update",
        "transition",
    ]
    assert set(rows.values_list("actor", flat=True)) == {care_officer.pk}


def _without_plan(case):
    # a case that reached its status before the plan was required
    DropoutCase.objects.filter(pk=case.pk).update(plan="", plan_written_on=None)
    case.refresh_from_db()
    return case


def test_the_first_contact_needs_the_written_plan(pupil, care_officer):
    # given an assigned case without a written plan
    case = open_case(pupil, care_officer)
    _assign(case, care_officer)
    case.refresh_from_db()
    audited = AuditEvent.objects.count()
    # when a first contact is logged, it is refused and nothing is written
    with pytest.raises(ValidationError, match="请先填写劝返方案") as refused:
        _contact(case, care_officer)
    assert refused.value.code == "illegal"
    after = DropoutCase.objects.get(pk=case.pk)
    assert (after.status, after.version, after.contacts.count()) == (S.ASSIGNED, case.version, 0)
    assert AuditEvent.objects.count() == audited
    # once the plan is written the contact starts the persuasion
    services.case_plan_set(
        case=after, actor=care_officer, version=after.version, on=FOUND_ON, plan=WALK_PLAN
    )
    after.refresh_from_db()
    _contact(after, care_officer)
    assert DropoutCase.objects.get(pk=case.pk).status == S.CONTACTING


def test_a_case_in_persuasion_without_a_plan_still_logs_contacts(at, care_officer):
    # only the move to 劝返中 needs the plan; a case already there keeps being worked
    case = _without_plan(at(S.CONTACTING))
    _contact(case, care_officer)
    assert DropoutCase.objects.get(pk=case.pk).contacts.count() == 2


def test_the_town_escalation_needs_the_written_plan(at, care_officer, town_officer):
    # given a case in persuasion without a written plan
    case = _without_plan(at(S.CONTACTING))
    audited = AuditEvent.objects.count()
    # when the town escalates it, it is refused: no notice, no step, no audit row
    with pytest.raises(ValidationError, match="请先填写劝返方案，再报镇街"):
        _escalate(case, town_officer)
    after = DropoutCase.objects.get(pk=case.pk)
    assert (after.status, after.escalation, after.version) == (S.CONTACTING, 0, case.version)
    assert not ReturnNotice.objects.filter(case=case).exists()
    assert not CaseEvent.objects.filter(case=case, kind="escalated_town").exists()
    assert AuditEvent.objects.count() == audited
    # once the plan is written the notice is issued
    services.case_plan_set(
        case=after, actor=care_officer, version=after.version, on=FOUND_ON, plan=WALK_PLAN
    )
    after.refresh_from_db()
    _escalate(after, town_officer)
    assert DropoutCase.objects.get(pk=case.pk).status == S.ESCALATED_TOWN
    assert ReturnNotice.objects.filter(case=case).count() == 1
