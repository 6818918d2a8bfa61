"""On a phone (390 px wide), without logging in: a parent opens the survey's link for their
school, types the one-time code handed out on paper, answers every question and submits; the
bureau's survey page counts the answer. A questionnaire with a question left out is refused with
a message (and does not spend the code); a second questionnaire with the same code is refused.
No page scrolls sideways."""

import pytest

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD
from ruraledu.evaluation.models import SurveyResponse
from ruraledu.evaluation.survey import codes_issue, survey_ensure

pytestmark = pytest.mark.browser


def test_a_parent_answers_on_a_phone_and_the_bureau_sees_the_count_move(
    page, xqpjph, district_admin, school_a
):
    survey = survey_ensure(evaluation=xqpjph)
    survey.requires_code = True
    survey.save()
    (code,) = codes_issue(survey=survey, actor=district_admin, count=1)
    page.set_viewport_size({"width": 390, "height": 844})
    link = f"{page.base}/evaluation/s/{survey.token}/parent/?school={school_a.org_unit.code}"

    # given the bureau's page shows no answers
    browser_login(page, district_admin.username, PASSWORD)
    page.goto(f"{page.base}/evaluation/D/xqpjph/2025/survey/")
    assert page.get_by_test_id("survey-count").inner_text() == "0"
    page.context.clear_cookies()

    # when a parent, not logged in, leaves question 3 out: the browser's own check stops it,
    # so the form is sent without its required marks to show the server's refusal
    page.goto(link)
    assert fits_phone(page)
    assert "甲镇中心小学" in page.content()
    page.get_by_label("请输入发给您的 8 位作答码").fill(code)
    for number in (1, 2, 4, 5):
        page.get_by_role("group", name=f"{number}.").get_by_label("满意", exact=True).check()
    page.evaluate("document.querySelectorAll('input').forEach(i => i.required = false)")
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state("networkidle")
    assert "第 3 题" in page.get_by_test_id("survey-error").inner_text()
    assert SurveyResponse.objects.count() == 0

    # and then answers every question (the code was not spent by the refused questionnaire)
    page.get_by_label("请输入发给您的 8 位作答码").fill(code)
    for number in range(1, 6):
        page.get_by_role("group", name=f"{number}.").get_by_label("比较满意").check()
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state("networkidle")
    assert fits_phone(page)
    assert page.get_by_test_id("survey-done").is_visible()

    # a second questionnaire with the same code is refused
    page.goto(link)
    page.get_by_label("请输入发给您的 8 位作答码").fill(code)
    for number in range(1, 6):
        page.get_by_role("group", name=f"{number}.").get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state("networkidle")
    assert "作答码无效或已使用" in page.get_by_test_id("survey-error").inner_text()
    assert SurveyResponse.objects.count() == 1

    # then the bureau sees one answer, from a parent at school A, 100 % recognition
    stored = SurveyResponse.objects.get()
    assert (stored.group, stored.school_id, stored.satisfied) == ("parent", school_a.pk, 5)
    browser_login(page, district_admin.username, PASSWORD)
    page.goto(f"{page.base}/evaluation/D/xqpjph/2025/survey/")
    assert page.get_by_test_id("survey-count").inner_text() == "1"
    assert "100.0%" in page.get_by_test_id("survey-groups").inner_text()
