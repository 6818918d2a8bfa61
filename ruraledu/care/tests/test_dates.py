"""A case's dates in the order things happened: found after the child was born, every later
step on or after the day it was found; refused with the field named, the form kept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.core.models import SchoolYear
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import StudentPerson

from .. import services
from ..choices import CaseStatus, CloseReason, ContactKind
from ..models import CaseEvent, DropoutCase
from .conftest import FOUND_ON, open_case, walk

BEFORE = FOUND_ON - dt.timedelta(days=1)


def test_a_case_cannot_be_found_before_the_child_was_born(pupil, care_officer):
    # given a child born on 1 May 2012
    with pytest.raises(ValidationError, match="发现日期不能早于该学生的出生日期"):
        open_case(pupil, care_officer, on=dt.date(2010, 1, 1))
    assert not DropoutCase.objects.exists()
    # the day of birth itself is possible
    assert open_case(pupil, care_officer, on=pupil.birth_date).opened_on == pupil.birth_date


def test_another_schools_officer_learns_nothing_from_a_date_before_birth(client, pupil, school_b):
    # given the care officer of another school, who types this child's ID number and name
    outsider = UserFactory(username="care_b")
    RoleAssignmentFactory(user=outsider, role=Role.SCHOOL_CARE_OFFICER, org_unit=school_b.org_unit)
    client.force_login(outsider)
    data = {
        "id_number": pupil.id_number(),
        "name": pupil.name,
        "category": "suspected_dropout",
        "source": "school",
    }
    # when the day found is before the child's birth, or not
    before_birth = client.post(reverse("care:case_open"), {**data, "opened_on": "2010-01-01"})
    plausible = client.post(reverse("care:case_open"), {**data, "opened_on": "2025-09-22"})
    # then the answer is the one an unknown child gets: the birth date is not checked for them
    for response in (before_birth, plausible):
        body = response.content.decode()
        assert "该学生不存在或不在您的范围内" in body
        assert "出生日期" not in body
    assert not DropoutCase.objects.exists()


@pytest.mark.parametrize(
    ("step", "field", "kwargs"),
    [
        ("case_assign", "指定日期", {"teacher_name": "李老师", "village_cadre": "村支书 张三"}),
        ("case_plan_set", "方案制定日期", {"plan": "每周家访一次，联系父母共同劝返"}),
    ],
)
def test_a_step_cannot_be_dated_before_the_case_was_found(pupil, care_officer, step, field, kwargs):
    case = open_case(pupil, care_officer)
    with pytest.raises(ValidationError, match=f"{field}不能早于发现日期（2025-09-22）"):
        getattr(services, step)(
            case=case, actor=care_officer, version=case.version, on=BEFORE, **kwargs
        )
    case.refresh_from_db()
    assert (case.status, case.version, case.plan, case.teacher_name) == (
        CaseStatus.FOUND,
        1,
        "",
        "",
    )
    assert CaseEvent.objects.filter(case=case).count() == 1  # the opening only


def test_contact_escalation_outcome_and_closure_name_their_date(pupil, care_officer, town_officer):
    case = walk(open_case(pupil, care_officer), care_officer, CaseStatus.CONTACTING)
    common = {"case": case, "actor": care_officer, "version": case.version, "on": BEFORE}
    refusals = [
        (
            "联系日期",
            lambda: services.case_contact_add(
                **common, kind=ContactKind.PHONE, who="李老师", outcome="电话联系家长"
            ),
        ),
        ("结果日期", lambda: services.case_resolve(**common, outcome=CaseStatus.RETURNED)),
        (
            "上报日期",
            lambda: services.case_escalate(**{**common, "actor": town_officer}, guardian="王大山"),
        ),
        (
            "结案日期",
            lambda: services.case_close(**common, reason=CloseReason.MISTAKEN, note="核实为误报"),
        ),
    ]
    for field, call in refusals:
        with pytest.raises(ValidationError, match=f"{field}不能早于发现日期"):
            call()
    assert DropoutCase.objects.get(pk=case.pk).status == CaseStatus.CONTACTING


def test_the_open_form_refuses_a_date_before_birth_and_keeps_what_was_typed(
    client, pupil, care_officer
):
    client.force_login(care_officer)
    data = {
        "id_number": pupil.id_number(),
        "name": pupil.name,
        "category": "suspected_dropout",
        "source": "school",
        "opened_on": "2010-01-01",
    }
    response = client.post(reverse("care:case_open"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "发现日期不能早于该学生的出生日期" in body
    assert 'value="2010-01-01"' in body and 'value="王小明"' in body
    assert not DropoutCase.objects.exists()


def test_the_assign_form_refuses_a_date_before_discovery_and_keeps_what_was_typed(
    client, pupil, care_officer
):
    case = open_case(pupil, care_officer)
    client.force_login(care_officer)
    data = {
        "assign-version": case.version,
        "assign-on": "2009-01-01",
        "assign-teacher_name": "李老师",
        "assign-village_cadre": "村支书 张三",
    }
    response = client.post(reverse("care:case_step", args=[case.pk, "assign"]), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "指定日期不能早于发现日期（2025-09-22）" in body
    assert 'value="2009-01-01"' in body and 'value="村支书 张三"' in body
    after = DropoutCase.objects.get(pk=case.pk)
    assert (after.status, after.deadline) == (CaseStatus.FOUND, case.deadline)


def test_a_child_never_enrolled_is_answered_as_an_unknown_one(client, school_b):
    # given a child the 四查三比对 recorded with no school, and a care officer of a school
    SchoolYear.objects.get_or_create(year=2025, defaults={"is_current": True})
    child = StudentPerson(name="周小军", sex="1", birth_date=dt.date(2015, 3, 1))
    child.set_id_number(new_id())
    child.save()
    officer = UserFactory(username="care_b")
    RoleAssignmentFactory(user=officer, role=Role.SCHOOL_CARE_OFFICER, org_unit=school_b.org_unit)
    client.force_login(officer)
    data = {"category": "suspected_dropout", "source": "school", "opened_on": "2025-09-22"}
    # when they type that child's ID number and name, or a child's who is on no list
    known = client.post(
        reverse("care:case_open"), {**data, "id_number": child.id_number(), "name": child.name}
    )
    unknown = client.post(
        reverse("care:case_open"), {**data, "id_number": new_id(), "name": "周小军"}
    )
    # then both get the same answer: nothing says the first child exists, or has no school
    for response in (known, unknown):
        body = response.content.decode()
        assert "该学生不存在或不在您的范围内" in body
        assert "没有学籍记录" not in body
    assert not DropoutCase.objects.exists()
