"""Writes of the evaluation: thresholds, yearly figures, evidence and expert reviews. The bureau
of the district (or the city's above it) alone changes a district's evaluation; the frameworks'
thresholds, held for the whole platform, only the platform's bureau; a school's own evidence may also come from the units
whose change scope covers it. Every write is audited."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, is_bureau
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.reporting.evidence import EvidenceRefused, check_evidence

from .choices import Comparator, ItemKind
from .models import (
    AnnualFigure,
    Evaluation,
    EvaluationExpert,
    EvaluationItem,
    ExpertReview,
    ItemEvidence,
    Survey,
)
from .units import may_change

NOT_BUREAU = "只有区教体局可以修改督导评估。"


def _ensure_bureau(actor, unit) -> None:
    """`unit`: the evaluated district; None for what the whole platform shares (thresholds)."""
    # outside the bureau the evaluation does not exist for the user: 404, as for any scope
    if not (is_bureau(actor) if unit is None else may_change(actor, unit)):
        raise Http404(NOT_BUREAU)


def _ensure_open(evaluation: Evaluation) -> None:
    """Refuse a write to a closed evaluation. The row stays locked until the write commits:
    a close waits for it (and freezes it in), and a close made since the caller loaded the
    evaluation is seen here."""
    evaluation.closed_at = (
        Evaluation.objects.select_for_update()
        .values_list("closed_at", flat=True)
        .get(pk=evaluation.pk)
    )
    if evaluation.closed_at is not None:
        raise ValidationError(
            f"{evaluation}已于 {timezone.localtime(evaluation.closed_at):%Y-%m-%d} 结束并冻结，不能再修改。"
        )


def evaluation_get_or_create(*, unit, framework: str, year: int) -> Evaluation:
    """A district's evaluation of a framework and year (created on first use; it holds no
    figures)."""
    evaluation, _ = Evaluation.objects.select_related("unit").get_or_create(
        unit=unit, framework=framework, year=year
    )
    return evaluation


@transaction.atomic
def item_threshold_set(
    *,
    item: EvaluationItem,
    actor,
    threshold: float | None,
    second_threshold: float | None = None,
    provisional: bool,
) -> EvaluationItem:
    """The platform's bureau sets an item's threshold(s), for every district; a later refresh
    of the frameworks keeps them."""
    _ensure_bureau(actor, None)
    if item.comparator == Comparator.JUDGED:
        raise ValidationError("该指标由评审认定，没有标准值。")
    if threshold is None or (item.has_second and second_threshold is None):
        raise ValidationError("请填写标准值。")
    before = snapshot(item)
    item.threshold = threshold
    if item.has_second:
        item.second_threshold = second_threshold
    item.provisional, item.edited = provisional, True
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        instance=item,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(item),
        summary=f"修改评估指标标准值：{item.code}",
    )
    return item


def _store_file(*, evaluation, item, actor, data: bytes, filename: str, school=None):
    try:
        checked = check_evidence(data, filename)
    except EvidenceRefused as exc:
        raise ValidationError(exc.message) from exc
    evidence = ItemEvidence(
        evaluation=evaluation,
        item=item,
        school=school,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(f"upload{checked.suffix}", ContentFile(data), save=False)
    stored = evidence.file.name
    try:
        evidence.full_clean()
        evidence.save()
        audit_record(
            actor=actor,
            instance=evidence,
            action=AuditAction.UPLOAD,
            after={
                "item": item.code,
                "school": school.name if school else "",
                "file": checked.name,
                "sha256": checked.sha256,
            },
            summary=f"上传评估佐证材料：{item.code} {checked.name}",
        )
    except Exception:
        evidence.file.storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def evidence_add(
    *, evaluation: Evaluation, item: EvaluationItem, actor, data: bytes, filename: str, school=None
) -> ItemEvidence:
    """Store a document behind an item: the district's (bureau) or one school's (whoever may
    change that school's data)."""
    _ensure_open(evaluation)
    if school is None:
        _ensure_bureau(actor, evaluation.unit)
    elif not (
        Reach(actor, Action.CHANGE).covers(school.path)
        and school.path.startswith(evaluation.unit.path)
    ):
        raise Http404("没有这所学校，或不在您的权限范围内。")
    return _store_file(
        evaluation=evaluation, item=item, actor=actor, data=data, filename=filename, school=school
    )


@transaction.atomic
def figure_set(
    *,
    evaluation: Evaluation,
    item: EvaluationItem,
    actor,
    value: float,
    second_value: float | None = None,
    data: bytes | None,
    filename: str = "",
    note: str = "",
) -> AnnualFigure:
    """Enter (or correct) the year's figure of a measured item, with its source document."""
    _ensure_bureau(actor, evaluation.unit)
    _ensure_open(evaluation)
    if item.kind != ItemKind.MEASURED or item.indicator_code:
        raise ValidationError("该指标不需要填报年度数值。")
    if not data:
        raise ValidationError(
            "请上传数值的来源文件（如统计报表、文件正文），没有来源文件的数值不予保存。"
        )
    if item.has_second and second_value is None:
        raise ValidationError(f"请填写“{item.second_label}”。")
    source = _store_file(
        evaluation=evaluation, item=item, actor=actor, data=data, filename=filename
    )
    figure = AnnualFigure.objects.filter(evaluation=evaluation, item=item).first()
    before = snapshot(figure) if figure else {}
    if figure is None:
        figure = AnnualFigure(evaluation=evaluation, item=item)
    figure.value, figure.second_value = value, second_value if item.has_second else None
    figure.source, figure.note = source, note
    figure.entered_by, figure.entered_at = actor, timezone.now()
    figure.full_clean()
    figure.save()
    audit_record(
        actor=actor,
        instance=figure,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after=snapshot(figure),
        summary=f"填报{evaluation.year}学年评估数值：{item.code} {item.value_label}",
    )
    return figure


def reviewer_role(user, evaluation: Evaluation) -> str | None:
    """ "final" for the district's bureau and the lead expert, "opinion" for another assigned
    expert, None for everyone else."""
    if may_change(user, evaluation.unit):
        return "final"
    if evaluation.pk is None:  # not worked on yet: nobody assigned
        return None
    expert = EvaluationExpert.objects.filter(evaluation=evaluation, user=user).first()
    if expert is None:
        return None
    return "final" if expert.is_lead else "opinion"


@transaction.atomic
def expert_assign(*, evaluation: Evaluation, actor, user, is_lead: bool) -> EvaluationExpert:
    """The bureau assigns an expert (or changes who leads); one lead per evaluation."""
    _ensure_bureau(actor, evaluation.unit)
    _ensure_open(evaluation)
    if is_lead:
        EvaluationExpert.objects.filter(evaluation=evaluation, is_lead=True).update(is_lead=False)
    expert, created = EvaluationExpert.objects.update_or_create(
        evaluation=evaluation, user=user, defaults={"is_lead": is_lead}
    )
    audit_record(
        actor=actor,
        instance=expert,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        after={"evaluation": str(evaluation), "user": user.get_username(), "is_lead": is_lead},
        summary=f"分派评估专家：{evaluation} {user.get_username()}{'（组长）' if is_lead else ''}",
    )
    return expert


@transaction.atomic
def review_add(
    *, evaluation: Evaluation, item: EvaluationItem, actor, verdict: str, comment: str
) -> ExpertReview:
    """An expert's verdict with comment; earlier verdicts stay as the item's history. The
    bureau's and the lead expert's are final; other assigned experts' stand beside them."""
    role = reviewer_role(actor, evaluation)
    if role is None:
        raise Http404(NOT_BUREAU)
    _ensure_open(evaluation)
    if item.kind not in (ItemKind.EVIDENCE, ItemKind.VETO):
        raise ValidationError("该指标由数据或问卷认定，不需要专家评审。")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("请填写评审意见。")
    previous = (
        ExpertReview.objects.filter(evaluation=evaluation, item=item)
        .order_by("-reviewed_at", "-pk")
        .first()
    )
    review = ExpertReview(
        evaluation=evaluation,
        item=item,
        verdict=verdict,
        comment=comment,
        reviewer=actor,
        reviewed_at=timezone.now(),
        is_final=role == "final",
    )
    review.full_clean()
    review.save()
    audit_record(
        actor=actor,
        instance=review,
        action=AuditAction.CREATE,
        before={"verdict": previous.verdict} if previous else {},
        after=snapshot(review),
        summary=f"专家评审：{item.code} {review.get_verdict_display()}",
    )
    return review


@transaction.atomic
def evaluation_close(*, evaluation: Evaluation, actor) -> Evaluation:
    """Close the evaluation: its sheet as it stands is frozen, its survey stops taking answers,
    and later edits to the registry, figures or thresholds no longer change it."""
    from .selectors import evaluation_sheet, sheet_snapshot

    _ensure_bureau(actor, evaluation.unit)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    _ensure_open(evaluation)
    evaluation.snapshot = sheet_snapshot(evaluation_sheet(evaluation))
    evaluation.closed_at, evaluation.closed_by = timezone.now(), actor
    evaluation.save(update_fields=["snapshot", "closed_at", "closed_by"])
    Survey.objects.filter(evaluation=evaluation).update(is_open=False)
    audit_record(
        actor=actor,
        instance=evaluation,
        action=AuditAction.TRANSITION,
        after={"closed": True, "overall": evaluation.snapshot["overall"]},
        summary=f"结束并冻结：{evaluation}",
    )
    return evaluation
