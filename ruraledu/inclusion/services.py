"""Every write: the policy checks the actor's care reach at the child's place (out of reach is
PermissionDenied, shown as 404), the model's rules give the Chinese messages, and each change
leaves an audit row in the same transaction."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, is_bureau
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.care.services.common import lock_version
from ruraledu.core.locks import refused_if_taken
from ruraledu.core.schoolyear import check_day_in_year
from ruraledu.orgunits.models import School
from ruraledu.reporting.evidence import EvidenceRefused, check_evidence

from .choices import NEEDS_SCHOOL, DecisionKind
from .models import DECISION_TAKEN, HomeVisit, PlacementDecision, VisitRule
from .reconcile import home_children, reconcile


def _check(instance, *, exclude: list[str], field: str, date_rules) -> None:
    """Every problem of a form at once: the model's rules, then the date's (`date_rules`
    raises ValidationError), the latter shown on `field`."""
    problems: dict[str, list[str]] = {}
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        problems = error.message_dict
    try:
        date_rules()
    except ValidationError as error:
        problems.setdefault(field, []).extend(error.messages)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def decision_record(
    *,
    actor,
    year: int,
    entry_id: int,
    kind: str,
    decided_on: dt.date,
    school: School | None = None,
    place_note: str = "",
    reason: str = "",
    evidence: str = "",
    evidence_file: tuple[bytes, str] | None = None,
    version: int | None = None,
    address: str | None = None,
) -> PlacementDecision:
    """Record (or change) the year's placement of a child of the 残联 list who has no
    enrolment placing them. `evidence_file` (content, file name) is the document behind a
    暂缓入学 or 不适宜入学, checked like report evidence; a change keeps the earlier file
    unless a new one is given."""
    checked = None
    if evidence_file is not None:
        try:
            checked = check_evidence(*evidence_file)
        except EvidenceRefused as exc:
            raise ValidationError({"evidence_file": [exc.message]}) from exc
    row = next((r for r in reconcile(year) if r.entry.pk == entry_id), None)
    care = Reach(actor, Action.CARE)
    if row is None or not care.covers(row.unit_path):
        raise PermissionDenied("该儿童不存在或不在您的范围内。")
    if row.source == "学籍":
        raise ValidationError(
            f"该儿童本学年已有学籍（{row.state_label}，{row.school_name}），安置以学籍为准，"
            "不能另行登记安置决定；如需调整请办理学籍变更。"
        )
    if not row.decidable:
        raise ValidationError("该儿童不在义务教育年龄段，不需要登记安置决定。")
    if kind not in NEEDS_SCHOOL and kind != DecisionKind.SPECIAL_SCHOOL:
        school = None
    unit = school.org_unit if school is not None else row.entry.town
    if not care.covers(unit.path):
        raise PermissionDenied("所选学校不在您的范围内。")
    if row.decision is not None:
        decision = lock_version(
            PlacementDecision.objects.all(), row.decision.pk, version, "安置决定"
        )
        before, action = snapshot(decision), AuditAction.UPDATE
        decision.version += 1
    else:
        decision = PlacementDecision(
            year=year, id_index=row.entry.id_index, entry=row.entry, decided_by=actor
        )
        before, action = {}, AuditAction.CREATE
    decision.kind = kind
    decision.school = school
    decision.place_note = place_note.strip()
    decision.reason = reason.strip()
    decision.evidence = evidence.strip()
    decision.decided_on = decided_on
    decision.town = row.entry.town
    decision.unit = unit
    decision.decided_by = actor
    replaced = decision.evidence_file.name if checked else ""
    if checked:
        decision.evidence_name = checked.name
        decision.evidence_type = checked.content_type
        decision.evidence_size = checked.size
        decision.evidence_sha256 = checked.sha256
        decision.evidence_file.save(
            f"upload{checked.suffix}", ContentFile(evidence_file[0]), save=False
        )
    stored = decision.evidence_file.name if checked else ""
    try:
        _check(
            decision,
            exclude=["entry", "town", "unit", "decided_by", "school"],
            field="decided_on",
            date_rules=lambda: check_day_in_year(decided_on, year, "决定日期"),
        )
        with refused_if_taken(DECISION_TAKEN):  # the same child's, recorded a moment ago
            decision.save()
    except Exception:
        if stored:  # nothing written: the new file goes too
            decision.evidence_file.storage.delete(stored)
        raise
    if replaced:
        storage = decision.evidence_file.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    audit_record(
        actor=actor,
        instance=decision,
        action=action,
        before=before,
        after=snapshot(decision),
        summary=f"残疾儿童安置决定：{decision.get_kind_display()}",
        address=address,
    )
    return decision


@transaction.atomic
def visit_add(
    *,
    actor,
    year: int,
    key: str,
    on: dt.date,
    teachers: str,
    content: str,
    hours: Decimal,
    address: str | None = None,
) -> HomeVisit:
    """Log a 送教上门 visit of the child `key` ("p…"/"d…") by the school teaching the child."""
    row = next((h for h in home_children(year, timezone.localdate()) if h.key == key), None)
    if row is None or not Reach(actor, Action.CARE).covers(row.unit_path):
        raise PermissionDenied("该儿童不存在或不在您的范围内。")
    teachers, content = teachers.strip(), content.strip()
    school = School.objects.select_related("org_unit").get(pk=row.school_id)
    visit = HomeVisit(
        year=year,
        id_index=row.id_index,
        school=school,
        unit=school.org_unit,
        on=on,
        teachers=teachers,
        content=content,
        hours=hours,
        recorded_by=actor,
    )

    def date_rules():
        check_day_in_year(on, year, "送教日期")
        if on < row.since:
            raise ValidationError(f"送教日期不能早于安置送教上门的日期（{row.since:%Y-%m-%d}）。")

    _check(visit, exclude=["school", "unit", "recorded_by"], field="on", date_rules=date_rules)
    same = HomeVisit.objects.filter(year=year, id_index=row.id_index, on=on, teachers=teachers)
    if same.exists():
        raise ValidationError(f"{on:%Y-%m-%d} 这几位教师的送教已经记录过，没有重复保存。")
    visit.save()
    audit_record(
        actor=actor,
        instance=visit,
        action=AuditAction.CREATE,
        after=snapshot(visit),
        summary="送教上门记录",
        address=address,
    )
    return visit


@transaction.atomic
def rule_set(
    *, actor, year: int, visits_per_month: int, term_months: str, address: str | None = None
) -> VisitRule:
    """The bureau sets the year's 送教上门 frequency."""
    if not is_bureau(actor):
        raise PermissionDenied("只有区教体局可以设置送教上门频次。")
    rule = VisitRule.objects.select_for_update().filter(year=year).first()
    before = snapshot(rule) if rule else {}
    rule = rule or VisitRule(year=year)
    rule.visits_per_month = visits_per_month
    rule.term_months = term_months.replace("，", ",").replace(" ", "")
    rule.updated_by = actor
    rule.full_clean(exclude=["updated_by"])
    rule.save()
    audit_record(
        actor=actor,
        instance=rule,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after=snapshot(rule),
        summary="送教上门频次",
        address=address,
    )
    return rule
