"""Working a cross-check finding: clearing a child with a reason and evidence (the row is
kept), or opening a 一人一案 case from it through `case_open`."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record
from ruraledu.students.choices import IdKind
from ruraledu.students.models import StudentPerson

from ..choices import CaseCategory, CaseSource, ClearReason, FindingKind
from ..models import DropoutCase, Finding
from ..permissions import may_work
from .cases import case_open

CASE_CATEGORY = {
    FindingKind.NOT_ENROLLED: CaseCategory.SUSPECTED_OUT,
    FindingKind.DROPOUT: CaseCategory.SUSPECTED_DROPOUT,
}
NOT_FOUND = "没有找到该儿童，或不在您的范围内。"


def _locked(finding: Finding, actor) -> Finding:
    locked = Finding.objects.select_for_update().select_related("unit").get(pk=finding.pk)
    if not may_work(actor, locked):
        raise PermissionDenied(NOT_FOUND)
    return locked


@transaction.atomic
def finding_clear(
    *, finding: Finding, actor, reason: str, evidence: str, address: str | None = None
) -> Finding:
    """Take a child off a working list with a reason and the evidence of how it was verified.
    The row stays, and stays cleared on later runs unless the child's situation changes."""
    finding = _locked(finding, actor)
    if finding.is_cleared:
        raise ValidationError("该儿童已核销，无需重复核销。")
    if reason not in ClearReason.values:
        raise ValidationError("请选择核销原因。")
    evidence = evidence.strip()
    if len(evidence) < 6:
        raise ValidationError(
            "请写明核实情况与佐证（如迁入地、就读学校及学籍号、死亡证明编号、核实人和方式），"
            "至少 6 个字。"
        )
    finding.clear_reason, finding.clear_evidence = reason, evidence
    finding.cleared_by, finding.cleared_at = actor, timezone.now()
    finding.cleared_basis = finding.basis
    finding.full_clean(exclude=["student", "entry", "school", "town", "unit", "case"])
    finding.save(
        update_fields=[
            "clear_reason",
            "clear_evidence",
            "cleared_by",
            "cleared_at",
            "cleared_basis",
        ]
    )
    audit_record(
        actor=actor,
        instance=finding,
        action=AuditAction.UPDATE,
        before={"clear_reason": "", "clear_evidence": ""},
        after={"clear_reason": reason, "clear_evidence": evidence},
        summary=f"四查三比对：核销（{ClearReason(reason).label}）",
        address=address,
    )
    return finding


def _person_of(finding: Finding, actor) -> StudentPerson:
    """The roster's person of the child; a child never enrolled gets one from the list entry
    (ciphertext and blind index copied, the clear number never handled)."""
    if finding.student_id:
        return finding.student
    person = StudentPerson.objects.filter(id_index=finding.id_index).first()
    if person is not None:
        return person
    entry = finding.entry
    if entry is None:
        raise ValidationError("该儿童没有名单记录，无法建档。")
    person = StudentPerson.objects.create(
        name=entry.name,
        id_cipher=entry.id_cipher,
        id_index=entry.id_index,
        id_hint=entry.id_hint,
        sex=entry.sex,
        birth_date=entry.birth_date,
        village_id=entry.village_id,
        id_kind=IdKind.RESIDENT_ID,
    )
    audit_record(
        actor=actor,
        instance=person,
        action=AuditAction.CREATE,
        after={"name": person.name, "source": "四查三比对名单"},
        summary="四查三比对：为未登记学籍的儿童建立人员记录",
    )
    return person


@transaction.atomic
def finding_case_open(
    *, finding: Finding, actor, on: dt.date, year: int, address: str | None = None
) -> tuple[DropoutCase, bool]:
    """Open (or, for a child already in an open case, return) the 一人一案 case of a child
    on the 疑似失学 or 疑似辍学 list, and link the finding to it."""
    finding = _locked(finding, actor)
    category = CASE_CATEGORY.get(finding.kind)
    if category is None:
        raise ValidationError("只有“疑似失学”“疑似辍学”名单中的儿童可以在此建档。")
    if finding.is_cleared:
        raise ValidationError("该儿童已核销，不再建档。")
    person = _person_of(finding, actor)
    case, created = case_open(
        person=person,
        category=category,
        source=CaseSource.CROSS_CHECK,
        opened_on=on,
        actor=actor,
        year=year,
        town=finding.town,
        address=address,
    )
    Finding.objects.filter(year=finding.year, id_index=finding.id_index).update(
        case=case, student=person
    )
    return case, created
