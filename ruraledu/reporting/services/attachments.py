"""Evidence files attached to a report."""

from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record
from ruraledu.plans.models import Target

from ..choices import (
    ReportEventKind,
)
from ..evidence import EvidenceRefused, check_evidence
from ..models import (
    EvidenceFile,
    ProgressReport,
)
from .reports import _ensure_author, _ensure_editable, _lock, report_event_create


@transaction.atomic
def evidence_add(
    *,
    report: ProgressReport,
    actor,
    data: bytes,
    filename: str,
    target: Target | None = None,
    address: str | None = None,
) -> EvidenceFile:
    """Check and store an evidence file for an editable report (under MEDIA_ROOT)."""
    try:
        checked = check_evidence(data, filename)
    except EvidenceRefused as exc:
        raise ValidationError(exc.message) from exc
    report = _lock(report)
    _ensure_author(actor, report)
    _ensure_editable(report)
    if target is not None and target.project_id != report.period.project_id:
        raise ValidationError("佐证材料只能对应本项目的目标。")
    evidence = EvidenceFile(
        report=report,
        target=target,
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
        report.version += 1
        report.save(update_fields=["version", "updated_at"])
        report_event_create(
            report=report,
            actor=actor,
            kind=ReportEventKind.EVIDENCE_ADDED,
            from_status=report.status,
            message=checked.name,
        )
        audit_record(
            actor=actor,
            instance=report,
            action=AuditAction.UPLOAD,
            after={
                "evidence": checked.name,
                "target": target.code if target else "",
                "size": checked.size,
                "sha256": checked.sha256,
            },
            summary=f"上传佐证材料：{checked.name}",
            address=address,
        )
    except Exception:
        evidence.file.storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: EvidenceFile, actor, address: str | None = None) -> None:
    """Remove an evidence file from a report that is still editable."""
    report = _lock(evidence.report)
    _ensure_author(actor, report)
    _ensure_editable(report)
    # files come and go under the report's lock: one removed while we waited is gone now
    if not EvidenceFile.objects.filter(pk=evidence.pk, report=report).exists():
        raise ValidationError("该佐证材料已被删除。")
    name, stored, storage = evidence.original_name, evidence.file.name, evidence.file.storage
    audit_record(
        actor=actor,
        instance=report,
        action=AuditAction.UPDATE,
        # the file's id tells a second 删除 of it from an id of no file (evidence_deleted_report)
        before={"evidence": name, "sha256": evidence.sha256, "evidence_id": evidence.pk},
        after={},
        summary=f"删除佐证材料：{name}",
        address=address,
    )
    evidence.delete()
    report.version += 1
    report.save(update_fields=["version", "updated_at"])
    report_event_create(
        report=report,
        actor=actor,
        kind=ReportEventKind.EVIDENCE_REMOVED,
        from_status=report.status,
        message=name,
    )
    transaction.on_commit(partial(storage.delete, stored))
