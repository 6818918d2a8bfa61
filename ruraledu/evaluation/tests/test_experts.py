"""评估专家: the bureau assigns experts to one evaluation; an expert sees that evaluation only;
an expert's opinion stands beside the item, the lead expert's decides it, and a disagreement
shows."""

import pytest
from django.http import Http404
from django.urls import reverse

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.evaluation.choices import Framework, Verdict
from ruraledu.evaluation.models import AnnualFigure, ExpertReview
from ruraledu.evaluation.selectors import evaluation_sheet
from ruraledu.evaluation.services import expert_assign, review_add
from ruraledu.indicators.engine import REGISTRY

from .conftest import YEAR, item


@pytest.fixture
def experts(yzjh, district_admin):
    member, lead = UserFactory(username="expert"), UserFactory(username="lead")
    expert_assign(evaluation=yzjh, actor=district_admin, user=member, is_lead=False)
    expert_assign(evaluation=yzjh, actor=district_admin, user=lead, is_lead=True)
    return member, lead


def _g01(evaluation):
    return next(r for r in evaluation_sheet(evaluation)["results"] if r.item.code == "G01")


def test_an_expert_sees_only_the_evaluation_assigned(client, experts, xqpjph):
    member, _ = experts
    client.force_login(member)
    assert (
        client.get(reverse("evaluation:evaluation_detail", args=["D", "yzjh", YEAR])).status_code
        == 200
    )
    assert (
        client.get(reverse("evaluation:evaluation_detail", args=["D", "xqpjph", YEAR])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("evaluation:evaluation_detail", args=["D", "yzjh", YEAR - 1])
        ).status_code
        == 404
    )
    index = client.get(reverse("evaluation:evaluation_index")).content.decode()
    assert "2025学年县域义务教育优质均衡发展督导评估" in index
    # and cannot enter figures
    url = reverse("evaluation:item_figure", args=["D", "yzjh", YEAR, "G13"])
    assert client.post(url, {"value": "60"}).status_code == 404
    assert not AnnualFigure.objects.exists()


def test_an_opinion_waits_for_the_lead_and_a_disagreement_shows(yzjh, experts, xqpjph):
    member, lead = experts
    g01 = item(Framework.YZJH, "G01")
    # when the member expert finds the layout sound
    review_add(evaluation=yzjh, item=g01, actor=member, verdict="pass", comment="布局合理。")
    # then it is an opinion: the item waits for the lead
    result = _g01(yzjh)
    assert (result.verdict, result.basis) == (Verdict.PENDING, "专家意见待组长认定")
    # when the lead disagrees
    review_add(evaluation=yzjh, item=g01, actor=lead, verdict="fail", comment="两所学校选址不当。")
    # then the lead decides and the disagreement shows
    result = _g01(yzjh)
    assert (result.verdict, result.basis) == (Verdict.FAIL, "专家评审（意见不一致）")
    assert [r.is_final for r in ExpertReview.objects.order_by("pk")] == [False, True]
    # an expert of one evaluation gives no opinion on another
    with pytest.raises(Http404):
        review_add(
            evaluation=xqpjph,
            item=item(Framework.XQPJPH, "G1"),
            actor=lead,
            verdict="pass",
            comment="好",
        )


def test_one_lead_per_evaluation(yzjh, experts, district_admin):
    member, lead = experts
    expert_assign(evaluation=yzjh, actor=district_admin, user=member, is_lead=True)
    assert list(yzjh.experts.filter(is_lead=True).values_list("user__username", flat=True)) == [
        "expert"
    ]


def test_the_bureau_assigns_an_expert_on_the_page_and_the_leader_cannot(
    client, yzjh, district_admin, district_leader
):
    UserFactory(username="newcomer")
    url = reverse("evaluation:expert_assign", args=["D", "yzjh", YEAR])
    client.force_login(district_leader)
    assert client.post(url, {"username": "newcomer"}).status_code == 404
    assert not yzjh.experts.exists()
    client.force_login(district_admin)
    client.post(url, {"username": "newcomer", "is_lead": "on"})
    assert list(yzjh.experts.values_list("user__username", "is_lead")) == [("newcomer", True)]
    page = client.get(reverse("evaluation:evaluation_detail", args=["D", "yzjh", YEAR]))
    assert "（组长）" in page.content.decode()


def test_an_opinion_without_its_text_names_the_field(client, experts):
    member, _ = experts
    client.force_login(member)
    url = reverse("evaluation:item_review", args=["D", "yzjh", YEAR, "G01"])
    page = client.post(url, {"verdict": Verdict.PASS, "comment": ""})
    assert page.status_code == 400
    assert 'id="id_comment_error" role="alert">该字段是必填项。' in page.content.decode()
    assert not ExpertReview.objects.exists()


def test_an_outside_expert_finds_the_evaluation_in_the_menu(
    client, experts, outsider, zichuan_plan
):
    member, _ = experts  # no role on any unit
    index = f'href="{reverse("evaluation:evaluation_index")}"'
    client.force_login(member)
    home = client.get("/", follow=True)
    assert home.status_code == 200
    assert index in home.content.decode()
    # a school's user neither assigned nor district-wide has none
    client.force_login(outsider)
    assert index not in client.get("/", follow=True).content.decode()


def test_a_refused_assignment_keeps_the_name_typed_and_stores_nothing(
    client, frameworks, district, district_admin
):
    from ruraledu.audit.models import AuditEvent
    from ruraledu.evaluation.models import Evaluation

    url = reverse("evaluation:expert_assign", args=["D", "yzjh", YEAR])
    client.force_login(district_admin)
    assert client.get(url).status_code == 405  # the form posts; there is no page here
    events = AuditEvent.objects.count()
    page = client.post(url, {"username": "nobody-here", "is_lead": "on"})
    assert page.status_code == 400
    body = page.content.decode()
    assert 'value="nobody-here"' in body and 'id="ex_lead" class="form-check-input" checked' in body
    assert 'id="ex_user_error">没有这个用户名的有效账号。' in body
    # the evaluation was not stored yet, and stays so; nothing is audited
    assert not Evaluation.objects.exists() and AuditEvent.objects.count() == events


def test_an_outside_expert_is_offered_no_drill_down_to_the_district_data(
    client, experts, district_admin
):
    # given an expert from outside the district, assigned to its evaluation
    member, _ = experts
    url = reverse("evaluation:evaluation_detail", args=["D", "yzjh", YEAR])
    diagnosis = f"{reverse('evaluation:unit_diagnosis')}?unit=D"

    # when the expert opens the evaluation, then it links to neither 各校诊断 nor the
    # indicator pages of the district (both would answer 404 to the expert)
    client.force_login(member)
    page = client.get(url).content.decode()
    assert diagnosis not in page
    assert "?unit=D&" not in page
    assert client.get(f"{diagnosis}&year={YEAR}").status_code == 404

    # while the bureau is still offered 各校诊断
    client.force_login(district_admin)
    assert diagnosis in client.get(url).content.decode()


def test_an_items_indicators_are_named_and_linked_only_for_those_who_may_drill(
    client, experts, district_admin
):
    # given G04, computed from an indicator (学校规模达标)
    url = reverse("evaluation:item_detail", args=["D", "yzjh", YEAR, "G04"])
    indicator = reverse("indicators:indicator_detail", args=["evaluation_school_size_rate"])

    # when the bureau opens it, then the indicator is named and links to the evaluation's
    # unit and year
    client.force_login(district_admin)
    page = client.get(url).content.decode()
    assert f'href="{indicator}?unit=D&year={YEAR}"' in page
    name = REGISTRY["evaluation_school_size_rate"].name
    assert "“<a" in page and name in page

    # while an expert from outside sees the name with no link (the page would answer 404)
    member, _ = experts
    client.force_login(member)
    page = client.get(url).content.decode()
    assert name in page
    assert indicator not in page
    assert client.get(f"{indicator}?unit=D&year={YEAR}").status_code == 404
