"""A visit from the first note to the principal's acknowledgement; signed off, it is locked
and a correction is a new visit linked to it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.reporting.evidence import EvidenceRefused

from ..choices import Verdict, VisitStatus
from ..models import Finding, Visit, VisitPhoto, VisitVerdict
from ..permissions import may_supervise, require
from ..photos import check_photo, save_with_photo
from .checklists import checklist_current
from .common import lock, record_day, save_audited

NOT_YOURS = "您不是这所学校的责任督学，不能记录督导。"


def _locked(visit, version, actor) -> Visit:
    """The visit under a row lock, once `actor` is its school's inspector."""
    return lock(
        Visit, visit, version, "督导记录", actor=actor, may=may_supervise, refusal=NOT_YOURS
    )


def _ensure_open(visit: Visit) -> None:
    if visit.is_locked:
        raise ValidationError("该督导记录已签字确认并锁定，不能修改；如需更正请新建更正记录。")


@transaction.atomic
def visit_create(
    *, actor, school, kind, visited_on: dt.date, team: str = "", corrects: Visit | None = None
) -> Visit:
    """Start a visit record with the kind's published checklist (frozen for this visit)."""
    require(may_supervise(actor, school), NOT_YOURS)
    record_day(visited_on, "督导日期")
    checklist = checklist_current(kind)
    if checklist is None:
        raise ValidationError(f"“{kind.name}”还没有发布检查表，请联系区教体局督导室。")
    visit = Visit(
        school=school,
        kind=kind,
        checklist=checklist,
        visited_on=visited_on,
        inspector=actor,
        team=team.strip(),
        corrects=corrects,
    )
    visit.full_clean()
    visit.save()
    audit_record(
        actor=actor,
        instance=visit,
        action=AuditAction.CREATE,
        after=snapshot(visit),
        summary=f"督导记录：{school} {visited_on}",
    )
    return visit


@transaction.atomic
def visit_update(
    *,
    actor,
    visit: Visit,
    version: int | None,
    summary: str,
    team: str,
    verdicts: dict[int, tuple[str, str]],
    address: str | None = None,
) -> Visit:
    """Save the verdicts (item pk -> (verdict, note)), the summary and who went."""
    visit = _locked(visit, version, actor)
    _ensure_open(visit)
    items = {i.pk: i for i in visit.checklist.items.all()}
    unknown = set(verdicts) - set(items)
    if unknown:
        raise ValidationError("检查条目不属于本次督导使用的检查表。")
    for pk, (verdict, note) in verdicts.items():
        if verdict and verdict not in Verdict.values:
            raise ValidationError(f"“{items[pk].text}”的结论无效。")
        if verdict:
            VisitVerdict.objects.update_or_create(
                visit=visit, item_id=pk, defaults={"verdict": verdict, "note": note.strip()[:300]}
            )
        else:
            VisitVerdict.objects.filter(visit=visit, item_id=pk).delete()
    before = snapshot(visit)
    visit.summary, visit.team = summary.strip(), team.strip()
    save_audited(
        obj=visit,
        before=before,
        fields=["summary", "team"],
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"督导记录：保存 {visit.school} {visit.visited_on}",
        address=address,
    )
    return visit


@transaction.atomic
def photo_add(
    *,
    actor,
    visit: Visit,
    data: bytes,
    filename: str,
    caption: str = "",
    client_key: str = "",
    address: str | None = None,
) -> tuple[VisitPhoto, bool]:
    """Check and store a photo (metadata stripped). A photo the phone sends again after the
    connection dropped (same client key) is stored once: created False."""
    visit = _locked(visit, None, actor)
    _ensure_open(visit)
    client_key = client_key.strip()[:64]
    if client_key:
        existing = VisitPhoto.objects.filter(visit=visit, client_key=client_key).first()
        if existing is not None:
            return existing, False
    try:
        checked = check_photo(data, filename)
    except EvidenceRefused as exc:
        raise ValidationError(exc.message) from exc
    photo = VisitPhoto(
        visit=visit,
        original_name=checked.name,
        caption=caption.strip()[:200],
        size=checked.size,
        sha256=checked.sha256,
        client_key=client_key,
        uploaded_by=actor,
    )
    save_with_photo(photo, checked)
    audit_record(
        actor=actor,
        instance=visit,
        action=AuditAction.UPLOAD,
        after={"photo": checked.name, "size": checked.size, "sha256": checked.sha256},
        summary=f"督导照片：{checked.name}",
        address=address,
    )
    return photo, True


@transaction.atomic
def finding_add(*, actor, visit: Visit, area: str, text: str) -> Finding:
    """Note a problem found during the visit."""
    visit = _locked(visit, None, actor)
    _ensure_open(visit)
    finding = Finding(visit=visit, area=area.strip(), text=text.strip())
    if not finding.area or not finding.text:
        raise ValidationError("请填写问题所属领域和问题描述。")
    finding.full_clean()
    finding.save()
    audit_record(
        actor=actor,
        instance=visit,
        action=AuditAction.UPDATE,
        after={"finding": f"{finding.area}：{finding.text}"},
        summary="督导记录：记录发现的问题",
    )
    return finding


@transaction.atomic
def visit_sign_off(
    *,
    actor,
    visit: Visit,
    version: int | None,
    principal_name: str,
    acknowledged: bool,
    address: str | None = None,
) -> Visit:
    """The principal acknowledges the record and the inspector signs it off: it is locked."""
    visit = _locked(visit, version, actor)
    _ensure_open(visit)
    missing = visit.checklist.items.exclude(pk__in=visit.verdicts.values("item_id")).count()
    if missing:
        raise ValidationError(f"还有 {missing} 条检查条目没有给出结论，不能签字确认。")
    if not principal_name.strip() or not acknowledged:
        raise ValidationError("请填写校长姓名，并由校长确认已阅知督导记录。")
    before = snapshot(visit)
    visit.status = VisitStatus.SIGNED_OFF
    visit.principal_name, visit.acknowledged_at = principal_name.strip(), timezone.now()
    save_audited(
        obj=visit,
        before=before,
        fields=["status", "principal_name", "acknowledged_at"],
        actor=actor,
        action=AuditAction.TRANSITION,
        summary=f"督导记录：校长 {visit.principal_name} 确认，签字锁定",
        address=address,
    )
    return visit


@transaction.atomic
def visit_correct(*, actor, visit: Visit, visited_on: dt.date) -> Visit:
    """A signed-off visit is never edited: a correction is a new visit linked to it."""
    if not visit.is_locked:
        raise ValidationError("该督导记录尚未锁定，可直接修改。")
    return visit_create(
        actor=actor,
        school=visit.school,
        kind=visit.kind,
        visited_on=visited_on,
        team=visit.team,
        corrects=visit,
    )
