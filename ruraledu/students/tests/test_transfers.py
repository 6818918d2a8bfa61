"""Transfers: the receiving school asks, the sending school or the bureau confirms, and the
enrolment moves only then; every step is audited and scoped."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from conftest import race
from ruraledu.audit.models import AuditEvent
from ruraledu.core.models import SchoolYear
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson, Transfer

YEAR = 2024
NUMBER = new_id()


def at_once(test):
    """Two requests at once, each on its own connection: PostgreSQL only."""
    postgres = pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs row locks (SQLite runs writes one by one)"
    )
    return pytest.mark.django_db(transaction=True)(postgres(test))


@pytest.fixture
def pupil_at_b(school_a, school_b):
    SchoolYear.objects.create(year=YEAR, is_current=True)
    person = StudentPerson(name="李小红", sex="2")
    person.set_id_number(NUMBER)
    person.save()
    return Enrolment.objects.create(person=person, school=school_b, year=YEAR, grade=4)


def ask(client, user, **overrides):
    client.force_login(user)
    data = {"id_number": NUMBER, "name": "李小红", "to_school": "", "grade": 4}
    data.update(overrides)
    return client.post(reverse("students:transfer_list"), data, REMOTE_ADDR="10.0.0.1")


def decide(client, user, transfer, action, **extra):
    client.force_login(user)
    url = reverse("students:transfer_decide", args=[transfer.pk])
    return client.post(url, {"action": action, **extra}, REMOTE_ADDR="10.0.0.2")


def test_a_request_then_the_sending_clerks_confirmation_moves_the_pupil(
    client, school_clerk, outsider, school_a, pupil_at_b
):
    # given the receiving clerk's request
    response = ask(client, school_clerk, to_school=school_a.pk, class_name="4.2")
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    pupil_at_b.refresh_from_db()
    assert pupil_at_b.school == transfer.from_school  # nothing moves before confirmation
    # the receiving clerk cannot confirm their own request
    decide(client, school_clerk, transfer, "confirm")
    assert Transfer.objects.get().status == "requested"
    # when the sending school's clerk confirms
    decide(client, outsider, transfer, "confirm")
    # then the enrolment is at school A, and the move is in the audit trail
    pupil_at_b.refresh_from_db()
    assert (pupil_at_b.school, pupil_at_b.grade, pupil_at_b.class_name) == (school_a, 4, "4.2")
    assert Transfer.objects.get().status == "confirmed"
    trail = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Enrolment), object_id=str(pupil_at_b.pk)
    )
    assert trail.before["school"] != trail.after["school"] == school_a.pk
    assert trail.actor == outsider
    # each step's row keeps the address it came from
    steps = AuditEvent.objects.filter(content_type__model="transfer").order_by("pk")
    assert list(steps.values_list("summary", "address")) == [
        ("申请转入学生", "10.0.0.1"),
        ("确认转学", "10.0.0.2"),
    ]
    assert trail.address == "10.0.0.2"


def test_an_enrolment_loaded_before_its_transfer_was_confirmed_is_not_edited_by_the_old_school(
    school_clerk, outsider, school_a, pupil_at_b
):
    from django.core.exceptions import PermissionDenied

    from ruraledu.students.services import enrolment_update, transfer_confirm, transfer_request

    # given the sending school's clerk with the pupil's edit page open
    seen = Enrolment.objects.get(pk=pupil_at_b.pk)
    # when the pupil's transfer to school A is confirmed meanwhile
    transfer = transfer_request(
        actor=school_clerk, id_number=NUMBER, name="李小红", to_school=school_a, year=YEAR, grade=4
    )
    transfer_confirm(transfer=transfer, actor=outsider)
    # then saving that page is refused: the enrolment is school A's now
    with pytest.raises(PermissionDenied):
        enrolment_update(enrolment=seen, values={"class_name": "4.9"}, actor=outsider)
    moved = Enrolment.objects.get()
    assert (moved.school, moved.class_name) == (school_a, "")
    enrolments = ContentType.objects.get_for_model(Enrolment)
    assert AuditEvent.objects.filter(content_type=enrolments).count() == 1  # the move only


def test_the_bureau_may_confirm_for_the_sending_school(
    client, school_clerk, district_admin, school_a, pupil_at_b
):
    ask(client, school_clerk, to_school=school_a.pk)
    decide(client, district_admin, Transfer.objects.get(), "confirm")
    pupil_at_b.refresh_from_db()
    assert pupil_at_b.school == school_a


def test_a_declined_request_leaves_the_pupil_and_keeps_the_reason(
    client, school_clerk, outsider, school_a, pupil_at_b
):
    ask(client, school_clerk, to_school=school_a.pk)
    transfer = Transfer.objects.get()
    decide(client, outsider, transfer, "decline", reason="")  # a reason is required
    assert Transfer.objects.get().status == "requested"
    decide(client, outsider, transfer, "decline", reason="家长未提出转学")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.reason) == ("declined", "家长未提出转学")
    pupil_at_b.refresh_from_db()
    assert pupil_at_b.school.org_unit.code == "SB"


def test_a_wrong_name_and_an_unknown_number_get_the_same_answer(
    client, school_clerk, school_a, pupil_at_b
):
    wrong_name = ask(client, school_clerk, to_school=school_a.pk, name="王小明")
    unknown = ask(client, school_clerk, to_school=school_a.pk, id_number=new_id())
    for response in (wrong_name, unknown):
        assert "未找到本学年在其他学校就读、姓名与证件号相符的学生" in response.content.decode()
    assert not Transfer.objects.exists()


def test_people_outside_both_schools_neither_see_nor_decide_a_request(
    client, school_clerk, town_officer, district_leader, school_a, pupil_at_b, town_b
):
    from ruraledu.accounts.choices import Role
    from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
    from ruraledu.orgunits.tests.factories import SchoolFactory

    ask(client, school_clerk, to_school=school_a.pk)
    transfer = Transfer.objects.get()
    third = SchoolFactory(org_unit__code="SC", org_unit__parent=town_b)
    stranger = UserFactory(username="stranger")
    RoleAssignmentFactory(user=stranger, role=Role.SCHOOL_CLERK, org_unit=third.org_unit)
    assert decide(client, stranger, transfer, "confirm").status_code == 404
    client.force_login(stranger)
    assert "李" not in client.get(reverse("students:transfer_list")).content.decode()
    # a leader sees it (district view) but cannot decide it
    decide(client, district_leader, transfer, "confirm")
    assert Transfer.objects.get().status == "requested"
    # the receiving side sees the name in full, the town office (no personal right) masked
    client.force_login(town_officer)
    body = client.get(reverse("students:transfer_list")).content.decode()
    assert "李*红" in body and "李小红" not in body


def test_the_receiving_school_may_withdraw_its_request(client, school_clerk, school_a, pupil_at_b):
    ask(client, school_clerk, to_school=school_a.pk)
    decide(client, school_clerk, Transfer.objects.get(), "cancel")
    assert Transfer.objects.get().status == "cancelled"
    assert ask(client, school_clerk, to_school=school_a.pk).status_code == 302  # may ask again


def test_the_list_logs_each_pupil_it_names_in_full(
    client, school_clerk, town_officer, school_a, pupil_at_b
):
    from ruraledu.core.models import PersonalDataAccess

    ask(client, school_clerk, to_school=school_a.pk)
    client.get(reverse("students:transfer_list"), REMOTE_ADDR="10.0.0.9")
    assert list(
        PersonalDataAccess.objects.values_list("user", "subject", "purpose", "address")
    ) == [
        (
            school_clerk.pk,
            f"students.studentperson:{pupil_at_b.person_id}",
            "transfer_list",
            "10.0.0.9",
        )
    ]
    # the town office sees 李*红: nothing to log
    client.force_login(town_officer)
    client.get(reverse("students:transfer_list"))
    assert not PersonalDataAccess.objects.filter(user=town_officer).exists()


def test_a_request_sent_twice_at_once_is_refused_in_chinese(
    school_clerk, school_a, pupil_at_b, monkeypatch
):
    from django.core.exceptions import ValidationError
    from django.db.models import QuerySet

    from ruraledu.students.services import transfer_request

    # given the receiving clerk's request, and a second one for the same pupil
    ask = {"actor": school_clerk, "id_number": NUMBER, "name": "李小红", "to_school": school_a}
    transfer_request(year=YEAR, grade=4, **ask)
    # when the second passes the open-request check before the first is committed
    exists = QuerySet.exists
    monkeypatch.setattr(
        QuerySet, "exists", lambda qs: False if qs.model is Transfer else exists(qs)
    )
    with pytest.raises(ValidationError) as refused:
        transfer_request(year=YEAR, grade=4, **ask)
    # then the model's check says so in Chinese (its own message was English, naming the rule)
    assert refused.value.messages == ["该学生已有一份待确认的转学申请"]
    # and so does the database's unique index when both pass the check (was a server error)
    monkeypatch.setattr(Transfer, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as refused:
        transfer_request(year=YEAR, grade=4, **ask)
    assert refused.value.messages == ["该学生已有一份待确认的转学申请"]
    assert Transfer.objects.count() == 1
    assert AuditEvent.objects.filter(summary="申请转入学生").count() == 1


def told(client, user, transfer, action, **extra) -> str:
    """The last message the transfer list shows after an answer is posted."""
    client.force_login(user)
    url = reverse("students:transfer_decide", args=[transfer.pk])
    response = client.post(url, {"action": action, **extra}, follow=True)
    return [str(m) for m in response.context["messages"]][-1]


def test_an_answer_sent_twice_is_told_the_request_was_answered(
    client, school_clerk, outsider, school_a, pupil_at_b
):
    # given a request the sending clerk confirms (a double click sends the confirmation twice)
    ask(client, school_clerk, to_school=school_a.pk)
    transfer = Transfer.objects.get()
    assert told(client, outsider, transfer, "confirm") == "已确认转学，学籍已转入对方学校。"
    # then the second click is told the request is answered (it was told it had no right to
    # confirm it), and nothing is written or audited again
    assert told(client, outsider, transfer, "confirm") == "该转学申请已处理（已转学），请刷新页面"
    assert (
        told(client, outsider, transfer, "decline", reason="晚了")
        == "该转学申请已处理（已转学），请刷新页面"
    )
    assert (
        told(client, school_clerk, transfer, "cancel") == "该转学申请已处理（已转学），请刷新页面"
    )
    assert Transfer.objects.get().status == "confirmed"
    assert AuditEvent.objects.filter(summary="确认转学").count() == 1
    assert AuditEvent.objects.filter(summary__startswith="转学：").count() == 1


def test_a_withdrawal_sent_twice_is_withdrawn_and_audited_once(
    client, school_clerk, school_a, pupil_at_b
):
    ask(client, school_clerk, to_school=school_a.pk)
    transfer = Transfer.objects.get()
    assert told(client, school_clerk, transfer, "cancel") == "已撤回转学申请。"
    assert (
        told(client, school_clerk, transfer, "cancel") == "该转学申请已处理（已撤回），请刷新页面"
    )
    assert AuditEvent.objects.filter(summary="撤回转学申请").count() == 1


@at_once
def test_a_request_sent_while_another_is_confirmed_waits_for_the_pupils_move(
    school_clerk, outsider, school_a, pupil_at_b, monkeypatch
):
    from django.db.models import QuerySet

    from ruraledu.students import services

    # given school A's request for B's pupil, sent again (a second click) just as B confirms
    ask = {"actor": school_clerk, "id_number": NUMBER, "name": "李小红", "to_school": school_a}
    open_request = services.transfer_request(year=YEAR, grade=4, **ask)
    # the second request pauses between reading the pupil's school and the open-request check
    outcomes = race(
        monkeypatch,
        QuerySet,
        "exists",
        first=lambda: services.transfer_request(year=YEAR, grade=4, **ask) and "ok",
        second=lambda: services.transfer_confirm(transfer=open_request, actor=outsider) and "ok",
        when=lambda qs: qs.model is Transfer,
    )
    # then the confirmation moves the pupil and the second request is refused; it was stored
    # as a new open request from B, read before the move, for a pupil already at A
    assert outcomes == {"second": "ok", "first": "该学生已有一份待确认的转学申请"}
    assert list(Transfer.objects.values_list("status", flat=True)) == ["confirmed"]
    pupil_at_b.refresh_from_db()
    assert pupil_at_b.school == school_a
    assert AuditEvent.objects.filter(summary="申请转入学生").count() == 1


@at_once
def test_a_confirmation_and_a_withdrawal_at_once_one_answers(
    school_clerk, outsider, school_a, pupil_at_b, monkeypatch
):
    from ruraledu.students import services

    open_request = services.transfer_request(
        actor=school_clerk, id_number=NUMBER, name="李小红", to_school=school_a, year=YEAR, grade=4
    )
    # the confirmation holds its transaction open while the withdrawal arrives
    outcomes = race(
        monkeypatch,
        services,
        "audit_record",
        first=lambda: services.transfer_confirm(transfer=open_request, actor=outsider) and "ok",
        second=lambda: services.transfer_cancel(transfer=open_request, actor=school_clerk) and "ok",
    )
    assert outcomes == {"first": "ok", "second": "该转学申请已处理（已转学），请刷新页面"}
    assert Transfer.objects.get().status == "confirmed"
    assert not AuditEvent.objects.filter(summary="撤回转学申请").exists()
    assert AuditEvent.objects.filter(summary="确认转学").count() == 1


def test_a_clerk_finds_their_one_school_chosen_and_others_a_chinese_prompt(
    client, school_clerk, district_admin, school_a, school_b, pupil_at_b
):
    # a clerk may receive only into school A: it is the one option, selected
    client.force_login(school_clerk)
    page = client.get(reverse("students:transfer_list")).content.decode()
    select = page.split('name="to_school"')[1].split("</select>")[0]
    assert select.count("<option") == 1
    assert f'<option value="{school_a.pk}" selected>甲镇中心小学</option>' in select
    # the bureau chooses among several, after a prompt that is no value
    client.force_login(district_admin)
    page = client.get(reverse("students:transfer_list")).content.decode()
    select = page.split('name="to_school"')[1].split("</select>")[0]
    assert '<option value="" selected>请选择转入学校</option>' in select
    assert "---------" not in select
    response = ask(client, district_admin, to_school="")
    assert response.status_code == 200
    assert "请选择转入学校。" in response.content.decode()
    assert not Transfer.objects.exists()
