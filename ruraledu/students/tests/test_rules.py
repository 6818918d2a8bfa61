"""One set of enrolment rules, whichever way the record comes in (importer, page, model), and
page edits through one service that checks scope and writes the audit row."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from ruraledu.audit.models import AuditEvent
from ruraledu.spreadsheets.testing import new_id, rows
from ruraledu.students.forms import EnrolmentForm
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.students.rules import enrolment_problems
from ruraledu.students.services import enrolment_update

BAD = {"grade": 8, "placement": "home", "lunch_served": True}
MESSAGES = {
    "grade": "8 年级与学校类型不符",
    "placement": "只有残疾学生才填写安置方式",
    "lunch_served": "无午餐需求的学生不应标记为午餐已保障",
}


@pytest.fixture
def enrolment(school_a):
    person = StudentPerson(name="张小明", sex="1")
    person.set_id_number(new_id())
    person.save()
    return Enrolment.objects.create(person=person, school=school_a, year=2024, grade=3)


def test_the_rules_name_each_field_once(school_a):
    assert dict(enrolment_problems(BAD, school_a.stage)) == MESSAGES


def test_importer_form_and_model_refuse_the_same_rows(school_clerk, school_a, enrolment):
    data = rows({"id_number": new_id(), "name": "李", "sex": "1", "school": "SA", **BAD})
    from ruraledu.spreadsheets.base import get_importer

    errors = get_importer("students").validate(data, year=2024, user=school_clerk)
    assert {e.message for e in errors} == {
        "8 年级与学校类型不符（甲镇中心小学）",
        MESSAGES["placement"],
        MESSAGES["lunch_served"],
    }
    form = EnrolmentForm(
        {"grade": 8, "transport": "none", "placement": "home", "lunch_served": "on"},
        instance=enrolment,
    )
    assert not form.is_valid()
    assert {k: v[0] for k, v in form.errors.items()} == {k: f"{m}。" for k, m in MESSAGES.items()}
    with pytest.raises(ValidationError) as refused:
        enrolment_update(enrolment=enrolment, values=BAD, actor=school_clerk)
    assert set(refused.value.message_dict) == set(MESSAGES)


def test_page_edits_check_scope_and_are_audited(school_clerk, outsider, enrolment):
    with pytest.raises(PermissionDenied):
        enrolment_update(enrolment=enrolment, values={"grade": 4}, actor=outsider)
    enrolment_update(enrolment=enrolment, values={"grade": 4}, actor=school_clerk)
    assert Enrolment.objects.get().grade == 4
    event = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Enrolment), object_id=str(enrolment.pk)
    )
    assert (event.before, event.after, event.actor) == ({"grade": 3}, {"grade": 4}, school_clerk)
