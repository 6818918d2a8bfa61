"""Demo evaluation of the latest school year: figures with source documents for the measured
items the registry does not answer, the 质量监测 results, expert reviews of the judged items, and a survey with a few hundred answers. Fixed seed;
each part is added only when missing, so running it again adds nothing."""

import random

from django.db import transaction

from ruraledu.demo.pdf import DEMO_PDF as BLANK_PDF

from .choices import Answer, Framework, ItemKind, RespondentGroup, ReviewVerdict
from .frameworks import frameworks_load
from .models import AnnualFigure, EvaluationItem, ExpertReview, ItemEvidence, SurveyResponse
from .services import evaluation_get_or_create, expert_assign, figure_set, review_add
from .survey import _response, survey_ensure

SEED = 2025
# a PDF without scripts: the evidence checks accept it like any scanned document
DEMO_PDF = BLANK_PDF
# (value, second value) of the year's figures, as the bureau would receive them
FIGURES = {
    Framework.YZJH: {
        "G07": (101.3, None),
        "G13": (55.0, None),
        # the other measured items are computed from the registry
    },
    Framework.XQPJPH: {
        "G4": (78.0, None),
        # Q4 left: the 园舍 survey of the year is not in
    },
}
# the 质量监测 report of the year (grade, subject, level, 校际差异率): one subject short of Ⅲ级
MONITORING = (
    ("四年级", "数学", "Ⅲ级", 0.11),
    ("四年级", "体育与健康", "Ⅳ级", 0.08),
    ("八年级", "科学", "Ⅲ级", 0.13),
    ("八年级", "艺术", "Ⅱ级", 0.12),
)
FAILING_REVIEWS = {"Q08": "抽查两所学校作业量超出规定，需整改后复核。"}
# answer mix per group: the chance of 满意, 比较满意, 不太满意, 不满意
MIX = (0.55, 0.33, 0.08, 0.04)
SIZES = {
    RespondentGroup.STUDENT: 80,
    RespondentGroup.PARENT: 100,
    RespondentGroup.TEACHER: 60,
    RespondentGroup.PRINCIPAL: 20,
    RespondentGroup.DEPUTY: 15,
    RespondentGroup.PUBLIC: 25,
}


@transaction.atomic
def evaluation_demo_setup(*, actor, year: int, unit) -> None:
    """The demo evaluations of the district `unit`."""
    frameworks_load()
    rng = random.Random(SEED)
    for framework in Framework.values:
        evaluation = evaluation_get_or_create(unit=unit, framework=framework, year=year)
        items = {i.code: i for i in EvaluationItem.objects.filter(framework=framework)}
        done = set(
            AnnualFigure.objects.filter(evaluation=evaluation).values_list("item__code", flat=True)
        )
        for code, (value, second) in FIGURES[framework].items():
            if code not in done:
                figure_set(
                    evaluation=evaluation,
                    item=items[code],
                    actor=actor,
                    value=value,
                    second_value=second,
                    data=DEMO_PDF,
                    filename=f"{year}年{code}统计表.pdf",
                    note="示例数据",
                )
        if not ExpertReview.objects.filter(evaluation=evaluation).exists():
            for item in items.values():
                if item.kind not in (ItemKind.EVIDENCE, ItemKind.VETO):
                    continue
                failing = FAILING_REVIEWS.get(item.code) if framework == Framework.YZJH else None
                review_add(
                    evaluation=evaluation,
                    item=item,
                    actor=actor,
                    verdict=ReviewVerdict.FAIL if failing else ReviewVerdict.PASS,
                    comment=failing or "查阅佐证材料并实地抽查，符合要求。（示例）",
                )
        if framework == Framework.YZJH:
            _demo_expert(evaluation, actor, items["Q08"])
            _demo_monitoring(actor, year, unit)
        survey = survey_ensure(evaluation=evaluation)
        if not SurveyResponse.objects.filter(survey=survey).exists():
            schools = list(_schools(framework, unit))
            rows = []
            for group in survey.groups.all():
                numbers = [q.number for q in group.questions.all()]
                for _ in range(SIZES[group.group]):
                    answers = {n: rng.choices(list(Answer.values), weights=MIX)[0] for n in numbers}
                    # people close to a school answer through its link; the others not
                    at = rng.choice(schools) if group.group in AT_SCHOOL and schools else None
                    rows.append(_response(survey, group.group, at, answers, imported=True))
            SurveyResponse.objects.bulk_create(rows)


AT_SCHOOL = {
    RespondentGroup.STUDENT,
    RespondentGroup.PARENT,
    RespondentGroup.TEACHER,
    RespondentGroup.PRINCIPAL,
}


def _schools(framework: str, unit):
    from ruraledu.orgunits.choices import COMPULSORY_STAGES, SchoolStage
    from ruraledu.orgunits.models import OrgUnit

    stages = COMPULSORY_STAGES if framework == Framework.YZJH else (SchoolStage.KINDERGARTEN,)
    schools = OrgUnit.objects.filter(kind="school", is_active=True, school__stage__in=stages)
    return schools.filter(path__startswith=unit.path).order_by("path")


def _demo_monitoring(actor, year: int, unit) -> None:
    """The year's 质量监测 results, through the bureau's import (once)."""
    from io import BytesIO

    import openpyxl

    from .models import MonitoringResult
    from .monitoring_import import SPEC, results_import, template_bytes

    if MonitoringResult.objects.filter(unit=unit, year=year).exists():
        return
    book = openpyxl.load_workbook(BytesIO(template_bytes()))
    sheet = book[SPEC.title]
    for offset, row in enumerate(MONITORING):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=3 + offset, column=column, value=value)
    out = BytesIO()
    book.save(out)
    results_import(
        unit=unit,
        year=year,
        actor=actor,
        data=out.getvalue(),
        filename=f"{year}年国家义务教育质量监测结果.xlsx",
        recompute=False,
    )


def _demo_expert(evaluation, actor, item) -> None:
    """An expert of the 优质均衡 evaluation whose opinion on Q08 differs from the final one."""
    from django.conf import settings

    from ruraledu.accounts.models import User
    from ruraledu.demo.services import DEMO_PASSWORD

    expert, created = User.objects.get_or_create(
        username="expert",
        defaults={
            "full_name": "评估专家（示例）",
            # as every set-up account: in production the printed password is changed first
            "must_change_password": settings.PASSWORD_CHANGE_FIRST_LOGIN,
        },
    )
    if created:
        expert.set_password(DEMO_PASSWORD)
        expert.save(update_fields=["password"])
    if not evaluation.experts.filter(user=expert).exists():
        expert_assign(evaluation=evaluation, actor=actor, user=expert, is_lead=False)
        review_add(
            evaluation=evaluation,
            item=item,
            actor=expert,
            verdict=ReviewVerdict.PASS,
            comment="抽查的三所学校作业量符合规定。（示例）",
        )


def evaluation_demo_wipe(schools) -> None:
    """Before the generator replaces the demo schools: the demo surveys' answers (all of a survey
    that has any at a demo school, so the next setup writes a whole sample again) and evidence
    filed for those schools hold on to the units it deletes."""
    units = schools.values("org_unit")
    surveys = SurveyResponse.objects.filter(school__in=units).values("survey")
    SurveyResponse.objects.filter(survey__in=surveys).delete()
    ItemEvidence.objects.filter(school__in=units).delete()
