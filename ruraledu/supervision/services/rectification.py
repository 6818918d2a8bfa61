"""Findings become rectification items; items go out in a numbered 整改通知书; the school
answers with evidence; the inspector closes or returns; overdue items escalate."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.evidence import EvidenceRefused, check_evidence
from ruraledu.reporting.reminders import notify_on_commit, settle

from ..choices import PENDING_STATUSES, ItemEventKind, ItemStatus, VisitStatus
from ..models import (
    AnswerEvidence,
    ItemAnswer,
    ItemEvent,
    RectificationItem,
    RectificationNotice,
)
from ..permissions import may_answer, may_supervise, require
from .common import lock, record_day, save_audited
from .numbering import notice_number_next
from .recipients import school_clerks, school_inspectors

NOT_YOURS = "您不是这所学校的责任督学，不能办理整改事项。"
MAX_EVIDENCE_FILES = 10


def _locked(item, version, actor, may=may_supervise, refusal=NOT_YOURS) -> RectificationItem:
    """The item under a row lock, once `actor` may do the step (the inspector, by default)."""
    return lock(RectificationItem, item, version, "整改事项", actor=actor, may=may, refusal=refusal)


def _refuse_unless(item: RectificationItem, statuses, action: str) -> None:
    if item.status not in statuses:
        raise ValidationError(
            f"整改事项当前状态为“{item.get_status_display()}”，不能{action}。", code="illegal"
        )


def _tell(recipients, *, school, title: str, body: str, url: str, dedupe_key: str) -> None:
    """An in-app notice of a step, sent once the step is committed (a refused step tells no
    one); the key makes it once per recipient however often the callback runs."""
    notify_on_commit(
        recipients=list(recipients),
        concerns=school.org_unit,
        kind=NotificationKind.TASK,
        title=title,
        body=body,
        url=url,
        dedupe_key=dedupe_key,
    )


def _verifiers(item: RectificationItem) -> list:
    """Who checks the school's answer: its 挂牌 inspector(s), and whoever issued the notice
    while they may still verify there (the bureau may issue without being 挂牌)."""
    users = list(school_inspectors(item.school))
    issuer = item.notice.issued_by if item.notice else None
    if issuer is not None and issuer.is_active and may_supervise(issuer, item.school):
        users.append(issuer)
    return users


def _step(item, *, before, from_status, kind, actor, note="", fields, address=None) -> None:
    save_audited(
        obj=item,
        before=before,
        fields=["status", *fields],
        actor=actor,
        action=AuditAction.TRANSITION if item.status != from_status else AuditAction.UPDATE,
        summary=f"整改事项：{ItemEvent(kind=kind).get_kind_display()}",
        address=address,
        exclude=["finding", "school", "created_by", "notice"],
    )
    ItemEvent.objects.create(
        item=item,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=item.status,
        note=note,
    )
    # the notices about the item's last step (and its deadline reminders) are answered now
    url = reverse("supervision:item_detail", args=[item.pk])
    transaction.on_commit(lambda: settle(url=url))


@transaction.atomic
def item_create(
    *, actor, finding, description: str, deadline: dt.date, responsible: str, rule: str = ""
) -> RectificationItem:
    """Make a finding a rectification item: what, which rule, by when, who at the school."""
    visit = finding.visit
    require(may_supervise(actor, visit.school), NOT_YOURS)
    if RectificationItem.objects.filter(finding=finding).exists():
        raise ValidationError("该问题已列为整改事项。")
    if deadline <= visit.visited_on:
        raise ValidationError("整改期限必须晚于督导日期。")
    if not description.strip() or not responsible.strip():
        raise ValidationError("请填写整改事项和学校责任人。")
    item = RectificationItem(
        finding=finding,
        school=visit.school,
        area=finding.area,
        description=description.strip(),
        rule=rule.strip(),
        deadline=deadline,
        responsible=responsible.strip(),
        created_by=actor,
    )
    item.full_clean()
    item.save()
    ItemEvent.objects.create(
        item=item, kind=ItemEventKind.CREATED, actor=actor, to_status=item.status
    )
    audit_record(
        actor=actor,
        instance=item,
        action=AuditAction.CREATE,
        after=snapshot(item),
        summary=f"整改事项：{visit.school} {item.area}",
    )
    return item


@transaction.atomic
def notice_issue(
    *, actor, items: list[RectificationItem], issued_on: dt.date, address: str | None = None
) -> RectificationNotice:
    """Send open items of one signed-off visit to the school in a numbered notice."""
    if not items:
        raise ValidationError("请至少选择一项整改事项。")
    locked = list(
        RectificationItem.objects.select_for_update()
        .select_related("school__org_unit", "finding__visit")
        .filter(pk__in=[i.pk for i in items])
        .order_by("pk")
    )
    visits = {i.finding.visit for i in locked}
    if len(visits) != 1:
        raise ValidationError("一份整改通知书只能包含同一次督导提出的整改事项。")
    visit = visits.pop()
    require(may_supervise(actor, visit.school), NOT_YOURS)
    if visit.status != VisitStatus.SIGNED_OFF:
        raise ValidationError("督导记录经校长确认并签字锁定后，才能下发整改通知书。")
    for item in locked:
        _refuse_unless(item, (ItemStatus.OPEN,), "下发")
    record_day(issued_on, "下发日期")
    if issued_on < visit.visited_on:
        raise ValidationError("下发日期不能早于督导日期。")
    number, label = notice_number_next(issued_on.year)
    notice = RectificationNotice(
        school=visit.school,
        visit=visit,
        year=issued_on.year,
        number=number,
        label=label,
        issued_on=issued_on,
        issued_by=actor,
    )
    notice.full_clean()
    notice.save()
    for item in locked:
        before = snapshot(item)
        item.status, item.notice = ItemStatus.NOTIFIED, notice
        _step(
            item,
            before=before,
            from_status=ItemStatus.OPEN,
            kind=ItemEventKind.NOTIFIED,
            actor=actor,
            note=label,
            fields=["notice"],
            address=address,
        )
    audit_record(
        actor=actor,
        instance=notice,
        action=AuditAction.CREATE,
        after=snapshot(notice),
        summary=f"下发整改通知书 {label}",
        address=address,
    )
    _tell(
        school_clerks(visit.school),
        school=visit.school,
        title=f"整改通知书 {label}：{visit.school}，{len(locked)} 项待整改",
        body="\n".join(f"{i.description}（期限 {i.deadline}）" for i in locked),
        url=reverse("supervision:notice_print", args=[notice.pk]),
        dedupe_key=f"supervision-notice-{notice.pk}",
    )
    return notice


@transaction.atomic
def item_answer(
    *,
    actor,
    item: RectificationItem,
    version: int | None,
    text: str,
    files: list[tuple[bytes, str]] = (),
    address: str | None = None,
) -> ItemAnswer:
    """The school says what it did, with evidence; the item waits for the inspector."""
    item = _locked(item, version, actor, may_answer, "只有该校可以反馈整改情况。")
    _refuse_unless(item, PENDING_STATUSES, "反馈整改情况")
    if len(text.strip()) < 5:
        raise ValidationError("请写明整改措施和结果（至少 5 个字）。")
    if len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError(f"每次最多上传 {MAX_EVIDENCE_FILES} 个佐证材料。")
    checked = []
    for data, name in files:
        try:
            checked.append((check_evidence(data, name), data))
        except EvidenceRefused as exc:
            raise ValidationError(exc.message) from exc
    answer = ItemAnswer.objects.create(item=item, text=text.strip(), answered_by=actor)
    stored = []
    try:
        for info, data in checked:
            evidence = AnswerEvidence(
                answer=answer,
                original_name=info.name,
                content_type=info.content_type,
                size=info.size,
                sha256=info.sha256,
            )
            evidence.file.save(f"upload{info.suffix}", ContentFile(data), save=False)
            stored.append(evidence.file)
            evidence.save()
        before, from_status = snapshot(item), item.status
        item.status = ItemStatus.ANSWERED
        _step(
            item,
            before=before,
            from_status=from_status,
            kind=ItemEventKind.ANSWERED,
            actor=actor,
            note=text.strip()[:200],
            fields=[],
            address=address,
        )
    except Exception:
        for f in stored:
            f.storage.delete(f.name)
        raise
    _tell(
        _verifiers(item),
        school=item.school,
        title=f"整改已反馈，待核查：{item.school} {item.area}",
        body=answer.text[:200],
        url=reverse("supervision:item_detail", args=[item.pk]),
        dedupe_key=f"supervision-item-{item.pk}-answer-{answer.pk}",
    )
    return answer


@transaction.atomic
def item_close(
    *,
    actor,
    item: RectificationItem,
    version: int | None,
    on: dt.date,
    note: str = "",
    address: str | None = None,
) -> RectificationItem:
    """The inspector verified the rectification: the item is closed (销号) and locked."""
    item = _locked(item, version, actor)
    _refuse_unless(item, (ItemStatus.ANSWERED,), "销号")
    record_day(on, "核查日期")
    if on < item.notice.issued_on:
        raise ValidationError("核查日期不能早于整改通知书下发日期。")
    before = snapshot(item)
    item.status, item.closed_on = ItemStatus.CLOSED, on
    item.days_to_close = (on - item.notice.issued_on).days
    _step(
        item,
        before=before,
        from_status=ItemStatus.ANSWERED,
        kind=ItemEventKind.CLOSED,
        actor=actor,
        note=note.strip(),
        fields=["closed_on", "days_to_close"],
        address=address,
    )
    return item


@transaction.atomic
def item_return(
    *,
    actor,
    item: RectificationItem,
    version: int | None,
    reason: str,
    address: str | None = None,
) -> RectificationItem:
    """The rectification is not done: back to the school with the reason."""
    item = _locked(item, version, actor)
    _refuse_unless(item, (ItemStatus.ANSWERED,), "退回")
    if len(reason.strip()) < 5:
        raise ValidationError("请写明退回原因（至少 5 个字）。")
    before = snapshot(item)
    item.status = ItemStatus.RETURNED
    _step(
        item,
        before=before,
        from_status=ItemStatus.ANSWERED,
        kind=ItemEventKind.RETURNED,
        actor=actor,
        note=reason.strip(),
        fields=[],
        address=address,
    )
    _tell(
        school_clerks(item.school),
        school=item.school,
        title=f"整改被退回，请重新整改：{item.school} {item.area}（期限 {item.deadline}）",
        body=f"退回原因：{reason.strip()}",
        url=reverse("supervision:item_detail", args=[item.pk]),
        # the item's version is new with each return, so a second return is told again
        dedupe_key=f"supervision-item-{item.pk}-returned-v{item.version}",
    )
    return item
