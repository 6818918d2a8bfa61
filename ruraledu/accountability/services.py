"""Recording an accountability step: the bureau only, against something overdue past the
limits, with its document checked like report evidence, audited, and the department's or
school's users notified after commit."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.evidence import EvidenceRefused, check_evidence
from ruraledu.reporting.reminders import notify_on_commit, reporters_of
from ruraledu.supervision.models import RectificationItem

from .choices import DOCUMENT_REQUIRED, StepKind
from .models import AccountabilityStep
from .selectors import candidate_get


@transaction.atomic
def step_record(
    *,
    actor,
    candidate_key: str,
    kind: str,
    taken_on: dt.date,
    reason: str,
    document: tuple[bytes, str] | None = None,
    today: dt.date | None = None,
    address: str | None = None,
) -> AccountabilityStep:
    """Record a 提醒, 约谈 or 通报 against the department or school answerable for the
    overdue thing `candidate_key` names. Out of the bureau, or not overdue past the limit: the
    candidate is not found (404)."""
    today = today or timezone.localdate()
    candidate = candidate_get(user=actor, key=candidate_key, today=today)  # bureau only
    if kind not in StepKind.values:
        raise ValidationError("请选择问责方式：提醒、约谈或通报。")
    if taken_on > today:
        raise ValidationError("问责日期不能晚于今天。")
    if taken_on < candidate.deadline:
        raise ValidationError("问责日期不能早于原截止日期。")
    if len(reason.strip()) < 5:
        raise ValidationError("请写明问责事由（至少 5 个字）。")
    if kind in DOCUMENT_REQUIRED and document is None:
        raise ValidationError(f"{StepKind(kind).label}须上传文件（约谈记录或通报文件）。")
    step = AccountabilityStep(
        kind=kind,
        overdue_what=candidate.what[:300],
        deadline=candidate.deadline,
        working_days_late=candidate.working_days_late,
        taken_on=taken_on,
        reason=reason.strip(),
        created_by=actor,
    )
    if candidate.kind == "report":
        _, period, _ = candidate.key.split("-")
        step.department, step.period_id = candidate.subject, int(period)
    else:
        step.school = candidate.subject
        step.item = RectificationItem.objects.get(pk=int(candidate.key.split("-")[1]))
    stored = None
    if document is not None:
        data, name = document
        try:
            checked = check_evidence(data, name)
        except EvidenceRefused as exc:
            raise ValidationError(exc.message) from exc
        step.document_name, step.document_type = checked.name, checked.content_type
        step.document_size, step.document_sha256 = checked.size, checked.sha256
        step.document.save(f"upload{checked.suffix}", ContentFile(data), save=False)
        stored = step.document.name
    try:
        step.full_clean()
        step.save()
        audit_record(
            actor=actor,
            instance=step,
            action=AuditAction.CREATE,
            after=snapshot(step),
            summary=f"问责{step.get_kind_display()}：{candidate.subject} {candidate.what[:80]}",
            address=address,
        )
    except Exception:
        if stored:
            step.document.storage.delete(stored)
        raise
    recipients = reporters_of(candidate.subject)
    title = f"问责{step.get_kind_display()}：{candidate.what[:120]}"
    body = f"逾期 {candidate.working_days_late} 个工作日。事由：{step.reason}"
    url = reverse("accountability:step_detail", args=[step.pk])
    notify_on_commit(
        recipients=recipients,
        concerns=candidate.subject,
        kind=NotificationKind.ACCOUNTABILITY,
        title=title,
        body=body,
        url=url,
        dedupe_key=f"accountability:{step.pk}",
    )
    return step
