"""社会认可度: the weighted rate worked by hand, the public questionnaire's refusals, and the
Excel import of paper questionnaires (all-or-nothing, every bad cell named)."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from ruraledu.audit.models import AuditEvent
from ruraledu.evaluation.models import SurveyResponse
from ruraledu.evaluation.survey import response_submit, survey_ensure, survey_result
from ruraledu.evaluation.survey_import import responses_import, template_bytes
from ruraledu.spreadsheets.services import ImportRejected


@pytest.fixture
def survey(xqpjph):
    return survey_ensure(evaluation=xqpjph)


def _all(value: int) -> dict:
    return {n: value for n in range(1, 6)}  # the 普及普惠 questionnaires have 5 questions


def test_the_rate_is_weighted_by_group(survey):
    # given students (weight 0.2): 2 questionnaires, 7 of 10 answers satisfied → 70 %;
    # parents (0.3): 1 questionnaire, all satisfied → 100 %; nobody else answered
    response_submit(survey=survey, group="student", answers=_all(1))
    response_submit(survey=survey, group="student", answers={1: 2, 2: 3, 3: 4, 4: 4, 5: 1})
    response_submit(survey=survey, group="parent", answers=_all(2))
    # when
    result = survey_result(survey)
    # then (0.2 × 70 + 0.3 × 100) / 0.5 = 88 %
    rates = {g.group: g.rate for g in result.groups}
    assert rates["student"] == pytest.approx(70.0)
    assert rates["parent"] == pytest.approx(100.0)
    assert rates["teacher"] is None
    assert result.rate == pytest.approx(88.0)
    assert result.responses == 3
    assert result.sample_ok is False  # 3 of the 100 planned, and four groups without answers


def test_a_questionnaire_with_a_missing_answer_or_a_closed_survey_is_refused(survey):
    with pytest.raises(ValidationError, match="第 3 题"):
        response_submit(survey=survey, group="parent", answers={1: 1, 2: 1, 4: 1, 5: 1})
    with pytest.raises(ValidationError, match="第 2 题"):
        response_submit(survey=survey, group="parent", answers={1: 1, 2: 7, 3: 1, 4: 1, 5: 1})
    survey.is_open = False
    survey.save()
    with pytest.raises(PermissionDenied):
        response_submit(survey=survey, group="parent", answers=_all(1))
    assert not SurveyResponse.objects.exists()


def test_survey_settings_loaded_before_the_evaluation_closed_do_not_reopen_it(
    survey, district_admin
):
    from ruraledu.evaluation.models import Survey, SurveyCode
    from ruraledu.evaluation.services import evaluation_close
    from ruraledu.evaluation.survey import codes_issue, survey_settings_set

    # given the survey's settings open on two pages, and the evaluation closed meanwhile
    seen_settings, seen_codes = (
        Survey.objects.select_related("evaluation").get(pk=survey.pk) for _ in range(2)
    )
    evaluation_close(evaluation=survey.evaluation, actor=district_admin)
    audited = AuditEvent.objects.count()
    # when the settings are saved from the page loaded before, opening the survey again
    with pytest.raises(ValidationError, match="结束并冻结"):
        survey_settings_set(survey=seen_settings, actor=district_admin, is_open=True, min_sample=30)
    # or codes are asked for, both are refused
    with pytest.raises(ValidationError, match="结束并冻结"):
        codes_issue(survey=seen_codes, actor=district_admin, count=3)
    # and the survey stays closed, with nothing issued or audited
    assert Survey.objects.get().is_open is False
    assert not SurveyCode.objects.exists() and AuditEvent.objects.count() == audited


def test_the_public_link_needs_no_login_and_stores_no_identity(client, survey, school_a):
    url = reverse("evaluation:survey_answer", args=[survey.token, "parent"])
    response = client.post(
        f"{url}?school={school_a.org_unit.code}", {f"q{n}": "1" for n in range(1, 6)}
    )
    assert response.status_code == 200
    assert "提交成功" in response.content.decode()
    stored = SurveyResponse.objects.get()
    assert (stored.group, stored.school_id, stored.satisfied) == ("parent", school_a.pk, 5)
    field_names = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not field_names & {"user", "address", "ip", "created_at", "name", "phone"}
    # a missing answer comes back with the message and stores nothing
    again = client.post(url, {"q1": "1"})
    assert again.status_code == 400
    assert "请回答全部题目" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    # an answer of thousands of digits, or of digits int() refuses, is as none given
    for odd in ("9" * 4301, "²"):
        refused = client.post(url, {**{f"q{n}": "1" for n in range(1, 5)}, "q5": odd})
        assert refused.status_code == 400 and "请回答全部题目" in refused.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_flood_from_one_address_is_refused(client, survey, settings):
    from ruraledu.evaluation import survey as views

    url = reverse("evaluation:survey_answer", args=[survey.token, "public"])
    answers = {f"q{n}": "2" for n in range(1, 6)}
    for _ in range(views.ANSWERS_PER_HOUR):
        assert client.post(url, answers).status_code == 200
    assert client.post(url, answers).status_code == 429
    assert SurveyResponse.objects.count() == views.ANSWERS_PER_HOUR


def _workbook(*rows) -> bytes:
    book = load_workbook(BytesIO(template_bytes()))
    sheet = book["问卷答卷"]
    for i, row in enumerate(rows, start=3):
        for j, value in enumerate(row, start=1):
            sheet.cell(row=i, column=j, value=value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_import_with_bad_rows_writes_nothing_and_names_each_cell(
    survey, district_admin, school_a
):
    # given: row 3 good; row 4 misses question 3; row 5 answers 5 to question 1; row 6 names
    # an unknown school; row 7 answers a sixth question the parents' questionnaire lacks
    data = _workbook(
        ("家长", school_a.org_unit.code, 1, 2, 1, 1, 1),
        ("家长", None, 1, 2, None, 1, 1),
        ("学生", None, 5, 1, 1, 1, 1),
        ("教师", "NOPE", 1, 1, 1, 1, 1),
        ("家长", None, 1, 1, 1, 1, 1, 1),
    )
    # when
    with pytest.raises(ImportRejected) as rejected:
        responses_import(survey=survey, actor=district_admin, data=data, filename="答卷.xlsx")
    # then
    messages = [str(e) for e in rejected.value.errors]
    assert messages == [
        "工作表“问卷答卷”第 4 行“第3题”列：家长问卷的必答题未作答",
        "工作表“问卷答卷”第 5 行“第1题”列（值：5）：学生问卷的必答题答案只能是 1 满意、2 比较满意、3 不太满意、4 不满意",
        "工作表“问卷答卷”第 6 行“学校代码”列（值：NOPE）：没有这个学校代码，或不在您的权限范围内",
        "工作表“问卷答卷”第 7 行“第6题”列（值：1）：家长问卷只有 5 题",
    ]
    assert not SurveyResponse.objects.exists()


def test_a_good_import_adds_every_row_once_per_run(survey, district_admin, school_a):
    data = _workbook(
        ("家长", school_a.org_unit.code, 1, 2, 3, 4, 1),
        ("其他群众", None, 1, 1, 1, 1, 1),
    )
    assert responses_import(survey=survey, actor=district_admin, data=data, filename="a.xlsx") == 2
    stored = SurveyResponse.objects.get(group="parent")
    assert (stored.satisfied, stored.answered, stored.imported) == (3, 5, True)
    assert AuditEvent.objects.filter(summary="导入问卷答卷 2 份：a.xlsx").count() == 1


def test_an_import_begun_before_the_survey_closed_adds_nothing(survey, district_admin):
    from ruraledu.evaluation.models import Survey
    from ruraledu.evaluation.services import evaluation_close

    # given the survey loaded for an import, and the evaluation closed while the file is read
    seen = Survey.objects.select_related("evaluation").get(pk=survey.pk)
    evaluation_close(evaluation=survey.evaluation, actor=district_admin)
    data = _workbook(("家长", None, 1, 2, 3, 4, 1))
    # when the import goes on from the survey it loaded, it is refused
    with pytest.raises(PermissionDenied, match="本次调查已结束"):
        responses_import(survey=seen, actor=district_admin, data=data, filename="a.xlsx")
    # and the closed survey takes no questionnaire
    assert not SurveyResponse.objects.exists()
    assert not AuditEvent.objects.filter(summary__startswith="导入问卷答卷").exists()


def test_results_by_town_weigh_the_answers_given_through_a_school_link(survey, school_a, school_b):
    from ruraledu.evaluation.survey import survey_by_town

    # 甲镇: a parent (0.3) 100 %, a student (0.2) 0 % → (30 + 0) / 0.5 = 60 %; 乙镇: a teacher 100 %
    response_submit(survey=survey, group="parent", school=school_a.org_unit, answers=_all(1))
    response_submit(survey=survey, group="student", school=school_a.org_unit, answers=_all(4))
    response_submit(survey=survey, group="teacher", school=school_b.org_unit, answers=_all(2))
    response_submit(survey=survey, group="public", answers=_all(1))  # no school: not by town
    towns = survey_by_town(survey)
    assert [(t, n, round(r, 6)) for t, n, r in towns] == [("乙镇", 1, 100.0), ("甲镇", 2, 60.0)]


def test_a_one_time_code_lets_one_questionnaire_in(survey, district_admin):
    from ruraledu.evaluation.models import SurveyCode
    from ruraledu.evaluation.survey import codes_issue

    # given the bureau asks for codes
    survey.requires_code = True
    survey.save()
    first, second = codes_issue(survey=survey, actor=district_admin, count=2)
    assert len(first) == 8 and first != second
    assert not SurveyCode.objects.filter(digest__in=[first, second]).exists()  # hashes only
    # when a questionnaire comes without a code, or with a wrong one: refused
    for code in ("", "WRONG123"):
        with pytest.raises(ValidationError, match="作答码无效或已使用"):
            response_submit(survey=survey, group="parent", answers=_all(1), code=code)
    # an incomplete questionnaire does not spend its code
    with pytest.raises(ValidationError):
        response_submit(survey=survey, group="parent", answers={1: 1}, code=first)
    response_submit(survey=survey, group="parent", answers=_all(1), code=first.lower())
    # then the same code again is refused, the other still works
    with pytest.raises(ValidationError, match="作答码无效或已使用"):
        response_submit(survey=survey, group="parent", answers=_all(1), code=first)
    response_submit(survey=survey, group="teacher", answers=_all(2), code=second)
    assert SurveyResponse.objects.count() == 2
    assert SurveyCode.objects.filter(used=True).count() == 2


def test_each_group_link_has_a_qr_code_for_a_school(client, survey, district_admin, school_a):
    client.force_login(district_admin)
    url = reverse("evaluation:survey_qr", args=["D", "xqpjph", 2025])
    response = client.get(url, {"group": "parent", "school": school_a.org_unit.code})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert client.get(url, {"group": "nobody"}).status_code == 404
    page = client.get(
        reverse("evaluation:survey_manage", args=["D", "xqpjph", 2025]),
        {"school": school_a.org_unit.code},
    ).content.decode()
    assert f"/parent/?school={school_a.org_unit.code}" in page
