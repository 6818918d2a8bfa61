"""Case pages: who sees names, who sees counts only, what is a 404, and that every read of a
case or of a list with names is logged with the reader's address."""

import pytest
from django.urls import reverse

from ruraledu.core.models import PersonalDataAccess

from .. import services
from ..choices import CaseStatus
from ..models import DropoutCase
from .conftest import FOUND_ON, WALK_PLAN, make_pupil, open_case, walk


@pytest.fixture
def case(pupil, care_officer):
    return walk(open_case(pupil, care_officer), care_officer, CaseStatus.CONTACTING)


def test_reading_a_case_shows_the_name_and_logs_the_read(client, case, care_officer):
    client.force_login(care_officer)
    response = client.get(reverse("care:case_detail", args=[case.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert "王小明" in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.subject, access.purpose, access.address) == (
        care_officer,
        f"care.dropoutcase:{case.pk}",
        "case_view",
        "10.1.2.3",
    )


def test_the_list_logs_one_read_per_child_shown_by_name(client, case, school_a, care_officer):
    other = walk(
        open_case(make_pupil(school_a, name="刘小刚"), care_officer),
        care_officer,
        CaseStatus.ASSIGNED,
    )
    client.force_login(care_officer)
    body = client.get(reverse("care:case_list")).content.decode()
    assert "王小明" in body and "刘小刚" in body
    assert set(PersonalDataAccess.objects.values_list("subject", "purpose")) == {
        (f"care.dropoutcase:{case.pk}", "case_list"),
        (f"care.dropoutcase:{other.pk}", "case_list"),
    }


def test_the_town_office_sees_its_towns_cases_with_masked_names_until_escalated(
    client, case, town_officer
):
    client.force_login(town_officer)
    body = client.get(reverse("care:case_list")).content.decode()
    assert "王*明" in body and "王小明" not in body
    assert not PersonalDataAccess.objects.exists()  # no name shown, nothing to log


def test_the_town_reading_a_case_with_the_name_masked_logs_no_read(client, case, town_officer):
    # given a case the town oversees but was not escalated to it
    client.force_login(town_officer)
    # when the town opens the case page
    body = client.get(reverse("care:case_detail", args=[case.pk])).content.decode()
    # then the name is masked and no named read is logged
    assert "王*明" in body and "王小明" not in body
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("persona", ["district_leader", "inspector"])
def test_read_only_roles_see_counts_and_never_names(client, case, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    overview = client.get(reverse("care:overview"))
    body = overview.content.decode()
    assert overview.status_code == 200
    assert "甲镇" in body and "王" not in body.split("care-towns")[1]
    for url in (
        reverse("care:case_list"),
        reverse("care:case_detail", args=[case.pk]),
        reverse("care:case_open"),
    ):
        assert client.get(url).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_a_case_of_another_school_is_a_404_and_its_steps_change_nothing(client, case, outsider):
    client.force_login(outsider)
    assert client.get(reverse("care:case_detail", args=[case.pk])).status_code == 404
    response = client.post(
        reverse("care:case_step", args=[case.pk, "contact"]),
        {
            "contact-version": case.version,
            "contact-on": FOUND_ON,
            "contact-kind": "phone",
            "contact-who": "外校",
            "contact-outcome": "无",
        },
    )
    assert response.status_code == 404
    assert DropoutCase.objects.get(pk=case.pk).version == case.version
    assert client.get(reverse("care:overview")).content.decode().count("甲镇") == 0


def test_a_stale_form_gets_a_clear_refusal_on_the_page(client, case, care_officer):
    client.force_login(care_officer)
    data = {
        "plan-version": case.version - 1,
        "plan-on": FOUND_ON,
        "plan-plan": "每周家访一次，联系父母共同劝返",
    }
    response = client.post(reverse("care:case_step", args=[case.pk, "plan"]), data)
    assert response.status_code == 400
    assert "已被其他人更新" in response.content.decode()
    assert DropoutCase.objects.get(pk=case.pk).plan == WALK_PLAN


def test_a_refused_stale_edit_keeps_the_text_and_takes_the_current_version(
    client, case, care_officer
):
    # given the plan was saved by someone else after the officer opened the page
    seen = case.version
    services.case_plan_set(
        case=case, actor=care_officer, version=seen, on=FOUND_ON, plan="第一份方案：每周家访一次"
    )
    client.force_login(care_officer)
    url = reverse("care:case_step", args=[case.pk, "plan"])
    data = {"plan-version": seen, "plan-on": FOUND_ON, "plan-plan": "第二份方案：联系父母共同劝返"}
    # when the officer saves the older copy
    response = client.post(url, data)
    # then it is refused, the typed plan kept with the current version, and the page says
    # what saving again does
    assert response.status_code == 400
    form = {key: form for key, _, form, _ in response.context["steps"]}["plan"]
    assert (form["version"].value(), form["plan"].value()) == (seen + 1, data["plan-plan"])
    assert "再次保存将以您的内容替换对方的修改" in response.content.decode()
    assert DropoutCase.objects.get(pk=case.pk).plan == "第一份方案：每周家访一次"
    # and saving it again replaces the other person's plan
    data["plan-version"] = form["version"].value()
    assert client.post(url, data).status_code == 302
    assert DropoutCase.objects.get(pk=case.pk).plan == data["plan-plan"]


def test_a_contact_is_added_from_a_page_read_before_another_save(client, case, care_officer):
    # given someone saved the plan after the officer opened the page
    seen = case.version
    services.case_plan_set(
        case=case, actor=care_officer, version=seen, on=FOUND_ON, plan="第一份方案：每周家访一次"
    )
    client.force_login(care_officer)
    # when the officer adds a contact from that page
    response = client.post(
        reverse("care:case_step", args=[case.pk, "contact"]),
        {
            "contact-version": seen,
            "contact-on": FOUND_ON,
            "contact-kind": "phone",
            "contact-who": "李老师",
            "contact-outcome": "家长答应周一送孩子返校",
        },
    )
    # then it is saved: it overwrites nothing
    assert response.status_code == 302
    assert case.contacts.filter(outcome="家长答应周一送孩子返校").count() == 1
    assert DropoutCase.objects.get(pk=case.pk).version == seen + 2


def test_an_officer_opens_a_case_by_id_number_and_a_second_time_gets_the_same_case(
    client, school_a, care_officer
):
    from ruraledu.spreadsheets.testing import new_id
    from ruraledu.students.models import Enrolment, StudentPerson

    number = new_id()
    person = StudentPerson(name="孙小雨", sex="2")
    person.set_id_number(number)
    person.save()
    Enrolment.objects.create(person=person, school=school_a, year=2025, grade=8)
    client.force_login(care_officer)
    data = {
        "id_number": number,
        "name": "孙小雨",
        "category": "suspected_dropout",
        "source": "school",
        "opened_on": FOUND_ON,
    }
    first = client.post(reverse("care:case_open"), data)
    second = client.post(reverse("care:case_open"), data)
    case = DropoutCase.objects.get()
    assert first.url == second.url == reverse("care:case_detail", args=[case.pk])
    # a wrong name is refused with the same words as an unknown child
    refused = client.post(reverse("care:case_open"), {**data, "name": "孙小云"})
    assert "不存在或不在您的范围内" in refused.content.decode()


def test_the_town_prints_a_numbered_notice(client, case, town_officer, care_officer):
    case = walk(case, care_officer, CaseStatus.ESCALATED_TOWN, town_actor=town_officer)
    notice = case.notices.get()
    client.force_login(town_officer)
    body = client.get(reverse("care:notice_print", args=[notice.pk])).content.decode()
    assert "王小明" in body and "css/care-notice.css" in body
    # one number, written the same in the heading, on the receipt and on the case's button
    assert '<div class="number">甲镇教育办〔2025〕1号</div>' in body
    assert "通知书编号：甲镇教育办〔2025〕1号" in body
    page = client.get(reverse("care:case_detail", args=[case.pk])).content.decode()
    assert "打印限期返校通知书 甲镇教育办〔2025〕1号" in page
    client.force_login(care_officer)  # the school does not issue the town's notice
    assert client.get(reverse("care:notice_print", args=[notice.pk])).status_code == 404


def test_the_notice_is_linked_only_for_those_who_may_open_it(
    client, pupil, care_officer, school_clerk, town_officer
):
    # given a case the town escalated with a numbered notice
    case = walk(
        open_case(pupil, care_officer),
        care_officer,
        CaseStatus.ESCALATED_TOWN,
        town_actor=town_officer,
    )
    notice_url = reverse("care:notice_print", args=[case.notices.get().pk])
    for user, opens in ((care_officer, False), (school_clerk, False), (town_officer, True)):
        client.force_login(user)
        # when each reads the case page
        page = client.get(reverse("care:case_detail", args=[case.pk])).content.decode()
        # then the link is there exactly where the notice opens
        assert (notice_url in page, client.get(notice_url).status_code) == (
            (True, 200) if opens else (False, 404)
        )


def test_the_page_says_the_plan_comes_first_and_the_step_is_refused(
    client, pupil, care_officer, town_officer
):
    # given an assigned case without a written plan
    case = walk(open_case(pupil, care_officer), care_officer, CaseStatus.ASSIGNED)
    DropoutCase.objects.filter(pk=case.pk).update(plan="", plan_written_on=None)
    client.force_login(care_officer)
    url = reverse("care:case_detail", args=[case.pk])
    # when the officer reads the page, the contact step says why it cannot be taken yet
    response = client.get(url)
    steps = {key: note for key, _, _, note in response.context["steps"]}
    assert steps["contact"] == "请先填写劝返方案，再记录联系情况（首次联系即转为“劝返中”）。"
    assert (steps["plan"], steps["assign"]) == ("", "")
    assert 'data-testid="plan-first"' in response.content.decode()
    # and a contact posted all the same is refused with the reason, nothing saved
    response = client.post(
        reverse("care:case_step", args=[case.pk, "contact"]),
        {
            "contact-version": case.version,
            "contact-on": FOUND_ON,
            "contact-kind": "phone",
            "contact-who": "李老师",
            "contact-outcome": "电话联系家长",
        },
    )
    assert response.status_code == 400
    assert "请先填写劝返方案" in response.content.decode()
    after = DropoutCase.objects.get(pk=case.pk)
    assert (after.status, after.contacts.count()) == (CaseStatus.ASSIGNED, 0)


def test_the_town_sees_why_it_cannot_escalate_a_case_without_a_plan(client, case, town_officer):
    DropoutCase.objects.filter(pk=case.pk).update(plan="", plan_written_on=None)
    client.force_login(town_officer)
    response = client.get(reverse("care:case_detail", args=[case.pk]))
    steps = {key: note for key, _, _, note in response.context["steps"]}
    assert steps["escalate"] == "请先填写劝返方案，再报镇街。"
    response = client.post(
        reverse("care:case_step", args=[case.pk, "escalate"]),
        {"escalate-version": case.version, "escalate-on": FOUND_ON, "escalate-guardian": "王大山"},
    )
    assert response.status_code == 400
    assert "请先填写劝返方案，再报镇街" in response.content.decode()
    after = DropoutCase.objects.get(pk=case.pk)
    assert (after.status, after.notices.count()) == (CaseStatus.CONTACTING, 0)


def test_a_case_the_model_refuses_is_told_on_the_form_in_its_own_words(
    client, pupil, care_officer, monkeypatch
):
    # given the case's own rules refusing it, naming fields the form does not have
    from django.core.exceptions import ValidationError

    def refuse(case):
        raise ValidationError({"grade": ["年级有误，无法建档。"], "unit": ["所在单位有误。"]})

    monkeypatch.setattr(DropoutCase, "clean", refuse)
    client.force_login(care_officer)
    data = {
        "id_number": pupil.id_number(),
        "name": pupil.name,
        "category": "suspected_dropout",
        "source": "school",
        "opened_on": FOUND_ON,
    }
    # when the officer opens a case for the pupil
    response = client.post(reverse("care:case_open"), data)
    # then the form shows each message as it was written, and no case is opened
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert list(errors) == ["年级有误，无法建档。", "所在单位有误。"]
    assert "年级有误，无法建档。" in response.content.decode()
    assert not DropoutCase.objects.exists()
