"""Files of a case: the hospital's certificate of a 因病休学 and the evidence of its closure,
checked by the reporting app's evidence rules and stored outside the web root."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.reporting.evidence import EvidenceRefused, check_evidence

from ..choices import ESCALATED_STATUSES, CaseEventKind, CaseFileKind, CaseStatus
from ..models import CaseFile, DropoutCase
from ..permissions import may_escalate, may_work
from .common import lock, record, require


@transaction.atomic
def case_file_add(
    *,
    case: DropoutCase,
    actor,
    version: int | None,
    kind: str,
    data: bytes,
    filename: str,
    address: str | None = None,
) -> CaseFile:
    """Attach a certificate or a closing evidence file to an open case. `version` is not
    checked: an added file overwrites nothing (the status is checked as it is now)."""
    try:
        checked = check_evidence(data, filename)
    except EvidenceRefused as exc:
        raise ValidationError(exc.message) from exc
    case = lock(case, None)
    if case.status in ESCALATED_STATUSES:
        require(may_escalate(actor, case))
    else:
        require(may_work(actor, case))
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("个案已结案，不能再上传材料。", code="illegal")
    if kind not in CaseFileKind.values:
        raise ValidationError("请选择材料类别。")
    case_file = CaseFile(
        case=case,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    case_file.file.save(f"upload{checked.suffix}", ContentFile(data), save=False)
    stored = case_file.file.name
    try:
        case_file.full_clean(exclude=["case", "uploaded_by"])
        case_file.save()
        label = CaseFileKind(kind).label
        record(
            case=case,
            before=snapshot(case),
            from_status=case.status,
            kind=CaseEventKind.FILE,
            on=timezone.localdate(),
            actor=actor,
            note=f"{label}：{checked.name}",
            address=address,
            fields=[],
        )
        audit_record(
            actor=actor,
            instance=case,
            action=AuditAction.UPLOAD,
            after={"file": checked.name, "kind": kind, "size": checked.size},
            summary=f"控辍保学个案：上传{label}",
            address=address,
        )
    except Exception:
        case_file.file.storage.delete(stored)
        raise
    return case_file


def has_certificate(case: DropoutCase) -> bool:
    return case.files.filter(kind=CaseFileKind.CERTIFICATE).exists()
