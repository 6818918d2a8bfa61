"""The verdict sheet on hand-made evaluations: every item meeting its threshold exactly passes
the district; one step under one threshold fails it; a failed 一票否决 item or a 社会认可度 under
85 % fails it by veto; a missing review leaves it undecided."""

import pytest
from django.utils import timezone

from ruraledu.evaluation.choices import (
    Answer,
    Comparator,
    Framework,
    ItemKind,
    ReviewVerdict,
    Verdict,
)
from ruraledu.evaluation.models import AnnualFigure, EvaluationItem, ExpertReview, SurveyResponse
from ruraledu.evaluation.selectors import evaluation_sheet
from ruraledu.evaluation.services import figure_set, review_add
from ruraledu.evaluation.survey import _response, survey_ensure
from ruraledu.evaluation.verdicts import meets
from ruraledu.indicators.models import IndicatorValue

from .conftest import PDF, YEAR, item


def test_a_value_at_the_threshold_passes_and_one_step_under_fails():
    assert meets(50.0, Comparator.AT_LEAST, 50.0) == Verdict.PASS
    assert meets(49.9, Comparator.AT_LEAST, 50.0) == Verdict.FAIL
    assert meets(0.50, Comparator.AT_MOST, 0.50) == Verdict.PASS
    assert meets(0.501, Comparator.AT_MOST, 0.50) == Verdict.FAIL
    assert meets(None, Comparator.AT_LEAST, 50.0) == Verdict.PENDING


def _stored(code: str, unit, value: float) -> None:
    IndicatorValue.objects.create(
        code=code, unit=unit, year=YEAR, value=value, computed_at=timezone.now()
    )


def _all_at_threshold(evaluation, district, actor) -> None:
    """Every item of the framework exactly at its threshold, every judged item passed."""
    for i in EvaluationItem.objects.filter(framework=evaluation.framework):
        if i.kind in (ItemKind.EVIDENCE, ItemKind.VETO):
            review_add(
                evaluation=evaluation, item=i, actor=actor, verdict="pass", comment="符合要求"
            )
        elif i.kind == ItemKind.MEASURED and i.indicator_code:
            _stored(i.indicator_code, district, i.threshold)
            if i.second_indicator_code:
                _stored(i.second_indicator_code, district, i.second_threshold)
        elif i.kind == ItemKind.MEASURED:
            figure_set(
                evaluation=evaluation,
                item=i,
                actor=actor,
                value=i.threshold,
                second_value=i.second_threshold,
                data=PDF,
                filename="统计表.pdf",
            )
    survey = survey_ensure(evaluation=evaluation)
    survey.min_sample = 6
    survey.save()
    survey.groups.update(min_sample=1)
    # one questionnaire per group, 17 of every 20 answers satisfied would be exactly 85 %;
    # all 满意 here: 100 %
    SurveyResponse.objects.bulk_create(
        _response(survey, g.group, None, {q.number: 1 for q in g.questions.all()}, imported=False)
        for g in survey.groups.all()
    )


def _verdicts(evaluation) -> dict[str, str]:
    return {r.item.code: r.verdict for r in evaluation_sheet(evaluation)["results"]}


def test_every_item_at_its_threshold_passes_the_district(yzjh, district, district_admin):
    # given
    _all_at_threshold(yzjh, district, district_admin)
    # when
    sheet = evaluation_sheet(yzjh)
    # then
    assert set(_verdicts(yzjh).values()) == {Verdict.PASS}
    assert sheet["overall"].verdict == Verdict.PASS
    assert [(p.name, p.passed) for p in sheet["parts"]] == [
        ("资源配置", 8),
        ("政府保障程度", 15),
        ("教育质量", 9),
        ("社会认可度", 1),
        ("一票否决", 1),
    ]


def test_one_step_under_one_threshold_fails_the_district(yzjh, district, district_admin):
    # given everything at its threshold
    _all_at_threshold(yzjh, district, district_admin)
    # when 优质高中 quota goes from 50 % to 49.9 %, and the junior 差异系数 of R4 from 0.45 to 0.46
    figure_set(
        evaluation=yzjh,
        item=item(Framework.YZJH, "G13"),
        actor=district_admin,
        value=49.9,
        data=PDF,
        filename="名额分配.pdf",
    )
    IndicatorValue.objects.filter(code="yzjh_cv_r4_junior").update(value=0.46)
    # then
    sheet = evaluation_sheet(yzjh)
    verdicts = _verdicts(yzjh)
    assert [c for c, v in verdicts.items() if v != Verdict.PASS] == ["R4", "G13"]
    assert sheet["overall"].verdict == Verdict.FAIL
    assert sheet["overall"].vetoes == []
    assert AnnualFigure.objects.get(item__code="G13", evaluation=yzjh).value == 49.9


def test_a_failed_veto_item_fails_the_whole_evaluation(yzjh, district, district_admin):
    # given everything passing
    _all_at_threshold(yzjh, district, district_admin)
    # when an expert finds a 重点班
    review_add(
        evaluation=yzjh,
        item=item(Framework.YZJH, "V01"),
        actor=district_admin,
        verdict=ReviewVerdict.FAIL,
        comment="某初中设置重点班。",
    )
    # then: every other item still passes, the district fails by veto
    sheet = evaluation_sheet(yzjh)
    assert [c for c, v in _verdicts(yzjh).items() if v != Verdict.PASS] == ["V01"]
    assert sheet["overall"].verdict == Verdict.FAIL
    assert sheet["overall"].vetoes == ["V01"]
    assert sheet["overall"].label == "未通过（一票否决）"
    # and the earlier verdict is kept as history
    assert ExpertReview.objects.filter(evaluation=yzjh, item__code="V01").count() == 2


def test_recognition_under_85_percent_is_a_veto(xqpjph, district, district_admin):
    # given everything passing, then the survey answered so that the weighted rate is 84 %:
    _all_at_threshold(xqpjph, district, district_admin)
    survey = xqpjph.survey
    SurveyResponse.objects.all().delete()
    # every group answers its 5 questions the same way: 21 of 25 answers satisfied = 84 %
    rows = []
    for g in survey.groups.all():
        for n in range(5):
            answers = {q.number: Answer.SATISFIED for q in g.questions.all()}
            if n < 4:
                answers[1] = Answer.UNSATISFIED
            rows.append(_response(survey, g.group, None, answers, imported=False))
    SurveyResponse.objects.bulk_create(rows)
    # when
    sheet = evaluation_sheet(xqpjph)
    # then
    s1 = next(r for r in sheet["results"] if r.item.code == "S1")
    assert s1.value == pytest.approx(84.0)
    assert s1.verdict == Verdict.FAIL
    assert sheet["overall"].vetoes == ["S1"]


def test_a_small_sample_leaves_recognition_undecided(xqpjph, district, district_admin):
    _all_at_threshold(xqpjph, district, district_admin)
    xqpjph.survey.groups.filter(group="parent").update(min_sample=2)  # only 1 parent answered
    sheet = evaluation_sheet(xqpjph)
    s1 = next(r for r in sheet["results"] if r.item.code == "S1")
    assert (s1.verdict, s1.basis) == (Verdict.PENDING, "有效样本不足")
    assert sheet["overall"].verdict == Verdict.PENDING


def test_an_item_without_review_or_figure_is_undecided(yzjh, district, district_admin):
    verdicts = _verdicts(yzjh)
    assert verdicts["G01"] == Verdict.PENDING  # no review
    assert verdicts["G13"] == Verdict.PENDING  # no figure
    assert verdicts["G04"] == Verdict.PENDING  # nothing computed
    assert evaluation_sheet(yzjh)["overall"].verdict == Verdict.PENDING


def test_a_closed_evaluation_keeps_its_figures_when_the_registry_changes(
    yzjh, district, district_admin
):
    # given a passing evaluation, closed
    from django.core.exceptions import ValidationError

    from ruraledu.evaluation.services import evaluation_close, item_threshold_set

    _all_at_threshold(yzjh, district, district_admin)
    evaluation_close(evaluation=yzjh, actor=district_admin)
    # when the registry is recomputed lower, and the bureau raises a threshold
    IndicatorValue.objects.filter(code="evaluation_class_size_rate").update(value=90.0)
    item_threshold_set(
        item=item(Framework.YZJH, "G13"), actor=district_admin, threshold=60.0, provisional=False
    )
    # then the closed sheet is what was submitted
    yzjh.refresh_from_db()
    sheet = evaluation_sheet(yzjh)
    g05 = next(r for r in sheet["results"] if r.item.code == "G05")
    g13 = next(r for r in sheet["results"] if r.item.code == "G13")
    assert (g05.value, g05.verdict) == (100.0, Verdict.PASS)
    assert (g13.item.threshold, g13.verdict) == (50.0, Verdict.PASS)
    assert sheet["overall"].verdict == Verdict.PASS
    assert yzjh.survey.is_open is False
    # and no verdict, figure or file can be added any more
    with pytest.raises(ValidationError, match="结束并冻结"):
        review_add(
            evaluation=yzjh,
            item=item(Framework.YZJH, "G01"),
            actor=district_admin,
            verdict="fail",
            comment="迟到的意见",
        )
    with pytest.raises(ValidationError, match="结束并冻结"):
        figure_set(
            evaluation=yzjh,
            item=item(Framework.YZJH, "G13"),
            actor=district_admin,
            value=10.0,
            data=PDF,
            filename="x.pdf",
        )
    assert ExpertReview.objects.filter(item__code="G01").count() == 1


def test_an_evaluation_loaded_before_someone_else_closed_it_takes_nothing_more(
    yzjh, district_admin
):
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from ruraledu.evaluation.models import Evaluation, EvaluationExpert, ItemEvidence
    from ruraledu.evaluation.services import evaluation_close, evidence_add, expert_assign

    # given the evaluation open on several pages, and closed from one of them
    first, *seen = (Evaluation.objects.get(pk=yzjh.pk) for _ in range(5))
    evaluation_close(evaluation=first, actor=district_admin)
    expert = get_user_model().objects.create_user(username="expert9", password="x")
    g01, g13 = item(Framework.YZJH, "G01"), item(Framework.YZJH, "G13")
    writes = [
        lambda e: figure_set(
            evaluation=e, item=g13, actor=district_admin, value=10.0, data=PDF, filename="x.pdf"
        ),
        lambda e: evidence_add(
            evaluation=e, item=g01, actor=district_admin, data=PDF, filename="x.pdf"
        ),
        lambda e: review_add(
            evaluation=e, item=g01, actor=district_admin, verdict="pass", comment="迟到"
        ),
        lambda e: expert_assign(evaluation=e, actor=district_admin, user=expert, is_lead=True),
    ]
    # when each write comes from a page loaded before the close, it is refused
    for write, stale in zip(writes, seen, strict=True):
        with pytest.raises(ValidationError, match="结束并冻结"):
            write(stale)
    # and nothing was added to the frozen evaluation
    assert not AnnualFigure.objects.exists() and not ItemEvidence.objects.exists()
    assert not ExpertReview.objects.exists() and not EvaluationExpert.objects.exists()


def test_the_sheet_costs_the_same_queries_whatever_it_holds(yzjh, district, district_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey_ensure(evaluation=yzjh)
    with CaptureQueriesContext(connection) as empty:
        evaluation_sheet(yzjh)
    _all_at_threshold(yzjh, district, district_admin)
    yzjh.refresh_from_db()
    with CaptureQueriesContext(connection) as full:
        evaluation_sheet(yzjh)
    assert len(full) == len(empty) == 8
