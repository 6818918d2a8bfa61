"""Reads of the evaluation: a district's verdict sheet of a framework and year (read by roles
that cover the whole district: its bureau and read-only roles, the city's above it), and each
school's diagnosis (its own users and those above it). Out of scope is a 404."""

import copy

from django.http import Http404

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.indicators.definitions.quality import RESOURCES
from ruraledu.indicators.models import IndicatorValue
from ruraledu.orgunits.districts import districts_covered
from ruraledu.orgunits.models import OrgUnit

from .choices import Framework, ItemKind, Verdict
from .models import (
    AnnualFigure,
    Evaluation,
    EvaluationItem,
    ExpertReview,
    ItemEvidence,
    Survey,
)
from .similar import peer_figures, similar_schools, trend
from .survey import survey_result
from .units import may_change, may_view
from .verdicts import ItemResult, measured_verdict, overall, parts

MIN_YEAR, MAX_YEAR = 2000, 2100  # school years an address may name


def may_view_evaluation(user) -> bool:
    """A district's evaluations are read by roles that see the whole district."""
    return may_view(user)


def assigned_evaluations(user):
    """The evaluations an expert was assigned to (an expert sees no other)."""
    if not user.is_authenticated:
        return Evaluation.objects.none()
    return Evaluation.objects.filter(experts__user=user).select_related("unit")


def index_tables(user, units: list, years: list[int]) -> list[dict]:
    """The index's table per district: for each year and framework, whether its survey page
    opens for `user` (one set up, or a user who sets it up by opening it; else a 404)."""
    surveyed = set(
        Survey.objects.filter(evaluation__unit__in=units).values_list(
            "evaluation__unit_id", "evaluation__framework", "evaluation__year"
        )
    )
    tables = []
    for unit in units:
        runs = may_change(user, unit)
        rows = [
            (
                year,
                [
                    (value, label, runs or (unit.pk, value, year) in surveyed)
                    for value, label in Framework.choices
                ],
            )
            for year in years
        ]
        tables.append({"unit": unit, "rows": rows})
    return tables


def evaluation_get(*, user, unit: str, framework: str, year: int) -> Evaluation:
    """The evaluation of district `unit` (its code); a district out of reach is a 404.
    One nobody has worked on yet is returned unsaved, holding nothing: reading stores
    nothing (the first write stores it, `views.EvaluationMixin`)."""
    if framework in Framework.values and MIN_YEAR <= year <= MAX_YEAR:
        district = next((u for u in districts_covered(user) if u.code == unit), None)
        if district is not None:
            found = Evaluation.objects.filter(unit=district, framework=framework, year=year)
            return found.select_related("unit").first() or Evaluation(
                unit=district, framework=framework, year=year
            )
        found = (
            assigned_evaluations(user)
            .filter(unit__code=unit, framework=framework, year=year)
            .first()
        )
        if found is not None:
            return found
    raise Http404("没有这项评估，或不在您的权限范围内。")


def item_get(*, evaluation: Evaluation, code: str) -> EvaluationItem:
    try:
        return EvaluationItem.objects.get(framework=evaluation.framework, code=code)
    except EvaluationItem.DoesNotExist as exc:
        raise Http404("没有这项指标。") from exc


def evaluation_sheet(evaluation: Evaluation) -> dict:
    """Every item with its value or judgement and verdict, the parts and the overall verdict;
    a fixed number of queries whatever the number of items."""
    items = list(EvaluationItem.objects.filter(framework=evaluation.framework))
    codes = {c for i in items for c in (i.indicator_code, i.second_indicator_code) if c}
    stored = {
        v.code: v
        for v in IndicatorValue.objects.filter(
            code__in=codes, unit=evaluation.unit_id, year=evaluation.year
        )
    }
    of_it = {"evaluation": evaluation} if evaluation.pk else {"pk__in": []}  # unsaved: none
    figures = {f.item_id: f for f in AnnualFigure.objects.filter(**of_it).select_related("source")}
    reviews: dict[int, list] = {}
    for review in ExpertReview.objects.filter(**of_it).select_related("reviewer"):
        reviews.setdefault(review.item_id, []).append(review)  # newest first
    evidence: dict[int, list] = {}
    for file in ItemEvidence.objects.filter(**of_it, school=None):
        evidence.setdefault(file.item_id, []).append(file)
    survey = Survey.objects.filter(**of_it).first()
    result_of_survey = survey_result(survey) if survey else None
    frozen = evaluation.snapshot.get("items") if evaluation.closed_at else None
    results = []
    for item in items:
        if frozen is not None and item.code in frozen:
            result = _frozen_result(item, frozen[item.code])
            result.history = reviews.get(item.pk, [])
            result.review = result.history[0] if result.history else None
            result.figure = figures.get(item.pk)
        else:
            result = _item_result(item, stored, figures, reviews.get(item.pk, []), result_of_survey)
        result.evidence = evidence.get(item.pk, [])
        results.append(result)
    return {
        "results": results,
        "parts": parts(results),
        "overall": overall(results),
        "survey": survey,
        "survey_result": result_of_survey,
    }


FROZEN_FIELDS = ("comparator", "threshold", "second_comparator", "second_threshold")


def sheet_snapshot(sheet: dict) -> dict:
    """What a closed evaluation keeps: each item's value, verdict, basis and thresholds."""
    return {
        "items": {
            r.item.code: {
                "verdict": r.verdict,
                "value": r.value,
                "second_value": r.second_value,
                "basis": r.basis,
                **{name: getattr(r.item, name) for name in FROZEN_FIELDS},
            }
            for r in sheet["results"]
        },
        "overall": sheet["overall"].verdict,
    }


def _frozen_result(item, frozen: dict) -> ItemResult:
    item = copy.copy(item)  # the thresholds it was judged by, not today's
    for name in FROZEN_FIELDS:
        setattr(item, name, frozen[name])
    return ItemResult(
        item,
        frozen["verdict"],
        frozen["value"],
        frozen["second_value"],
        f"{frozen['basis']}（结束时冻结）",
    )


def _item_result(item, stored, figures, history, survey) -> ItemResult:
    if item.kind in (ItemKind.EVIDENCE, ItemKind.VETO):
        # the latest final verdict decides; experts' opinions after it are shown beside it
        latest = next((r for r in history if r.is_final), None)
        verdict = latest.verdict if latest else Verdict.PENDING
        opinions = {r.verdict for r in history if not r.is_final}
        if latest is None:
            basis = "专家意见待组长认定" if opinions else "待专家评审"
        else:
            basis = "专家评审（意见不一致）" if opinions - {latest.verdict} else "专家评审"
        return ItemResult(item, verdict, basis=basis, review=latest, history=history)
    if item.kind == ItemKind.SURVEY:
        if survey is None or survey.rate is None:
            return ItemResult(item, Verdict.PENDING, basis="尚无问卷答卷")
        if not survey.sample_ok:
            return ItemResult(item, Verdict.PENDING, survey.rate, basis="有效样本不足")
        return ItemResult(
            item, measured_verdict(item, survey.rate, None), survey.rate, basis="问卷调查"
        )
    if item.indicator_code:
        first = stored.get(item.indicator_code)
        second = stored.get(item.second_indicator_code)
        value = first.value if first else None
        second_value = second.value if second else None
        basis = "由登记数据计算" if first else "登记数据不足，暂无计算值"
        return ItemResult(
            item, measured_verdict(item, value, second_value), value, second_value, basis
        )
    figure = figures.get(item.pk)
    if figure is None:
        return ItemResult(item, Verdict.PENDING, basis="待填报年度数值及来源文件")
    return ItemResult(
        item,
        measured_verdict(item, figure.value, figure.second_value),
        figure.value,
        figure.second_value,
        "年度填报数值",
        figure=figure,
    )


def evidence_get(*, user, pk: int) -> ItemEvidence:
    """A file is served to whoever sees the district's evaluations, to the experts of its
    evaluation, and, for a school's own file, to the users whose view reaches the school."""
    file = ItemEvidence.objects.select_related("school", "evaluation__unit").filter(pk=pk).first()
    reach = Reach(user, Action.VIEW)
    if file is None or not (
        reach.covers(file.evaluation.unit.path)
        or (file.school is not None and reach.covers(file.school.path))
        or assigned_evaluations(user).filter(pk=file.evaluation_id).exists()
    ):
        raise Http404("没有这份材料，或不在您的权限范围内。")
    return file


# ------------------------------------------------------------------ diagnosis

SCHOOL_CODES = {
    **{f"yzjh_{k}": label for k, (label, _, _) in RESOURCES.items()},
    "evaluation_school_size_rate": "学校规模",
    "evaluation_class_size_rate": "班额",
    "evaluation_music_art_rooms_rate": "音乐、美术专用教室",
}


def school_evidence_items() -> list[EvaluationItem]:
    """Judged items every school must meet: each school files its own evidence for them."""
    return list(
        EvaluationItem.objects.filter(
            kind=ItemKind.EVIDENCE, threshold_text="所有学校均符合要求"
        ).order_by("framework", "order")
    )


def school_get(*, user, code: str) -> OrgUnit:
    try:
        return OrgUnit.objects.for_user(user).get(code=code, kind="school")
    except OrgUnit.DoesNotExist as exc:
        raise Http404("没有这所学校，或不在您的权限范围内。") from exc


def school_diagnosis(*, school: OrgUnit, year: int | None) -> dict:
    """What a school meets and lacks, read from the marks the indicator engine stored."""
    years = sorted(
        set(
            IndicatorValue.objects.filter(unit=school, code__in=SCHOOL_CODES).values_list(
                "year", flat=True
            )
        )
    )
    year = year if year in years else (years[-1] if years else None)
    values = {
        v.code: v
        for v in IndicatorValue.objects.filter(
            unit=school, year=year, code__in=[*SCHOOL_CODES, "yzjh_school_compliance_rate"]
        )
    }
    rows = []
    for code, label in SCHOOL_CODES.items():
        v = values.get(code)
        rows.append(_diagnosis_row(code, label, v))
    compliance = values.get("yzjh_school_compliance_rate")
    files = ItemEvidence.objects.filter(school=school, evaluation__year=year).select_related("item")
    band, peers = similar_schools(school, year) if year else ("", [])
    _compare(rows, peer_figures(SCHOOL_CODES, peers, year) if peers else {})
    trend_years, history = trend(school, SCHOOL_CODES)
    for row in rows:
        row["trend"] = [
            _diagnosis_row(row["code"], row["label"], history.get(row["code"], {}).get(y))
            for y in trend_years
        ]
    return {
        "year": year,
        "years": years,
        "rows": rows,
        "band": band,
        "peers": len(peers),
        "trend_years": trend_years,
        "weakest": _weakest(values),
        "lacking": [r for r in rows if r["verdict"] == Verdict.FAIL],
        "resource_verdict": (compliance.details.get("verdict") if compliance else None),
        "evidence": list(files),
    }


def _compare(rows: list[dict], figures: dict) -> None:
    """Each row's figure for similar schools: their mean value (7 项资源) and share meeting it."""
    for row in rows:
        f = figures.get(row["code"])
        if not f:
            row["peer"] = ""
            continue
        met = f"达标 {f['met']}%" if f["met"] is not None else ""
        mean = f"均值 {f['mean']:.2f}" if row["code"].startswith("yzjh_") and f["mean"] else ""
        row["peer"] = "，".join(t for t in (mean, met) if t)


def _weakest(values: dict) -> list[str]:
    """The three resources furthest below (or least above) their standard."""
    ratios = []
    for key, (label, _, _) in RESOURCES.items():
        v = values.get(f"yzjh_{key}")
        threshold = (v.details or {}).get("threshold") if v is not None else None
        if v is not None and v.value is not None and threshold:
            ratios.append((v.value / threshold, label))
    return [f"{label}（达到标准的 {ratio:.0%}）" for ratio, label in sorted(ratios)[:3]]


def _diagnosis_row(code: str, label: str, v) -> dict:
    row = _diagnosis_cell(code, label, v)
    row["code"] = code
    return row


def _diagnosis_cell(code: str, label: str, v) -> dict:
    if v is None or v.value is None:
        return {"label": label, "value": None, "standard": "", "verdict": Verdict.PENDING}
    details = v.details or {}
    if code == "evaluation_music_art_rooms_rate":
        return {
            "label": label,
            "value": f"音乐 {details.get('music')} 间、美术 {details.get('art')} 间",
            "standard": f"各 {details.get('needed')} 间（{details.get('classes')} 个班），"
            "面积 96㎡、90㎡ 以上",
            "verdict": Verdict.PASS if details.get("mark") == "pass" else Verdict.FAIL,
        }
    if code == "evaluation_school_size_rate":
        return {
            "label": label,
            "value": f"{details.get('students')} 人",
            "standard": f"不超过 {details.get('limit')} 人",
            "verdict": Verdict.PASS if details.get("mark") == "pass" else Verdict.FAIL,
        }
    if code == "evaluation_class_size_rate":
        oversized = details.get("oversized", 0)
        return {
            "label": label,
            "value": f"{int(v.denominator or 0)} 个班，超额 {oversized} 个",
            "standard": "小学不超过 45 人、初中不超过 50 人",
            "verdict": Verdict.FAIL if oversized else Verdict.PASS,
        }
    mark = details.get("mark")
    threshold = details.get("threshold")
    return {
        "label": label,
        "value": f"{v.value:.2f}",
        "standard": f"不低于 {threshold:.2f}" if threshold is not None else "",
        # partial (at least 85 % of the standard) is short of it: the school lacks it
        "verdict": {"pass": Verdict.PASS}.get(mark, Verdict.FAIL if mark else Verdict.PENDING),
    }


def diagnosis_years(unit: OrgUnit) -> list[int]:
    """Years with a stored per-school mark under `unit`."""
    return sorted(
        set(
            IndicatorValue.objects.filter(
                code="yzjh_r1", unit__path__startswith=unit.path
            ).values_list("year", flat=True)
        )
    )


def unit_diagnoses(*, user, unit: OrgUnit, year: int | None) -> list[dict]:
    """Each school under `unit` in the user's view with the items it lacks (stored marks)."""
    schools = list(
        OrgUnit.objects.for_user(user)
        .filter(path__startswith=unit.path, kind="school", school__stage__in=_compulsory())
        .order_by("path")
    )
    values: dict[int, dict] = {}
    for v in IndicatorValue.objects.filter(unit__in=schools, year=year, code__in=SCHOOL_CODES):
        values.setdefault(v.unit_id, {})[v.code] = v
    result = []
    for school in schools:
        stored = values.get(school.pk, {})
        rows = [
            _diagnosis_row(code, label, stored[code])
            for code, label in SCHOOL_CODES.items()
            if code in stored
        ]
        lacking = [r["label"] for r in rows if r["verdict"] == Verdict.FAIL]
        result.append({"school": school, "lacking": lacking, "judged": bool(rows)})
    return result


def _compulsory():
    from ruraledu.orgunits.choices import COMPULSORY_STAGES

    return COMPULSORY_STAGES
