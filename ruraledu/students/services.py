"""Transfers between schools: the receiving school asks, the sending school or the bureau
confirms, and the pupil's enrolment moves only then. Every step is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.locks import refused_if_taken
from ruraledu.orgunits.choices import GRADE_RANGES
from ruraledu.spreadsheets.importing import pks_by_id_number

from .choices import TransferStatus
from .models import OPEN_REQUEST, Enrolment, StudentPerson, Transfer
from .signals import transfer_confirmed

# The same answer for an unknown number, a wrong name and a pupil not enrolled this year:
# the request must not tell who is on the district's rosters.
NOT_FOUND = "未找到本学年在其他学校就读、姓名与证件号相符的学生；新入学的学生请通过学生名册导入"


@transaction.atomic
def transfer_request(
    *,
    actor,
    id_number: str,
    name: str,
    to_school,
    year: int,
    grade: int,
    class_name: str = "",
    address: str | None = None,
) -> Transfer:
    """The receiving school asks for a pupil enrolled this year at another school."""
    reach = Reach(actor, Action.CHANGE)
    if not reach.covers(to_school.org_unit.path):
        raise PermissionDenied("无权为该学校办理转入")
    if grade not in GRADE_RANGES.get(to_school.stage, ()):
        raise ValidationError({"grade": "年级与转入学校的类型不符"})
    pk = pks_by_id_number(StudentPerson, [id_number]).get(id_number)
    # the pupil's enrolment is locked: a confirmation of another request moving the pupil
    # meanwhile is waited for (or waits), so the school left and the open-request check
    # below are read as they stand, not as they stood before that move
    enrolment = (
        Enrolment.objects.filter(person_id=pk, year=year, person__name=name.strip())
        .select_related("school__org_unit")
        .select_for_update(of=("self",))
        .first()
        if pk
        else None
    )
    if enrolment is None:
        raise ValidationError(NOT_FOUND)
    if reach.covers(enrolment.school.org_unit.path):
        raise ValidationError("该学生已在您管辖的学校就读，请直接修改学籍或通过学生名册导入")
    if Transfer.objects.filter(person_id=pk, year=year, status=TransferStatus.REQUESTED).exists():
        raise ValidationError(OPEN_REQUEST)
    transfer = Transfer(
        person_id=pk,
        year=year,
        from_school=enrolment.school,
        to_school=to_school,
        grade=grade,
        class_name=class_name.strip(),
        requested_by=actor,
    )
    transfer.full_clean()
    with refused_if_taken(OPEN_REQUEST):  # the same pupil's request, sent a moment ago
        transfer.save()
    audit_record(
        actor=actor,
        instance=transfer,
        action=AuditAction.CREATE,
        after=snapshot(transfer),
        summary="申请转入学生",
        address=address,
    )
    return transfer


def may_cancel(actor, transfer: Transfer) -> bool:
    """The receiving school may withdraw its own open request."""
    return transfer.status == TransferStatus.REQUESTED and Reach(actor, Action.CHANGE).covers(
        transfer.to_school.org_unit.path
    )


def may_decide(actor, transfer: Transfer) -> bool:
    """The sending school decides an open request; the bureau may decide for it."""
    return transfer.status == TransferStatus.REQUESTED and (
        Reach(actor, Action.CHANGE).covers(transfer.from_school.org_unit.path)
        or Reach(actor, Action.MOVE).covers_all(
            (transfer.from_school.org_unit.path, transfer.to_school.org_unit.path)
        )
    )


def _open_locked(transfer: Transfer) -> Transfer:
    """The request re-read under its row lock. One answered meanwhile (a double click, the
    other school a moment before) is refused as answered, before the decider is asked: asked
    of the answered request, the permission check told the decider they had no right to it."""
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("from_school__org_unit", "to_school__org_unit")
        .get(pk=transfer.pk)
    )
    if transfer.status != TransferStatus.REQUESTED:
        raise ValidationError(f"该转学申请已处理（{transfer.get_status_display()}），请刷新页面")
    return transfer


def _close(
    transfer: Transfer, *, actor, status: str, summary: str, reason: str = "", address=None
) -> Transfer:
    """Answer a request locked by _open_locked, and audit the answer."""
    before = snapshot(transfer)
    transfer.status, transfer.reason = status, reason
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.full_clean()
    transfer.save()
    audit_record(
        actor=actor,
        instance=transfer,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(transfer),
        summary=summary,
        address=address,
    )
    return transfer


@transaction.atomic
def transfer_confirm(*, transfer: Transfer, actor, address: str | None = None) -> Transfer:
    """Move the pupil's enrolment of that year to the receiving school."""
    transfer = _open_locked(transfer)
    if not may_decide(actor, transfer):
        raise PermissionDenied("只有转出学校或区教体局可以确认待处理的转学申请")
    transfer = _close(
        transfer,
        actor=actor,
        status=TransferStatus.CONFIRMED,
        summary="确认转学",
        address=address,
    )
    enrolment = Enrolment.objects.select_for_update().get(
        person_id=transfer.person_id, year=transfer.year
    )
    if enrolment.school_id != transfer.from_school_id:
        raise ValidationError("该学生的学籍已有变化，请撤回后重新申请")
    before = snapshot(enrolment)
    enrolment.school, enrolment.campus = transfer.to_school, None
    enrolment.grade, enrolment.class_name = transfer.grade, transfer.class_name
    enrolment.full_clean()
    enrolment.save()
    audit_record(
        actor=actor,
        instance=enrolment,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(enrolment),
        summary=f"转学：{transfer.from_school} → {transfer.to_school}",
        address=address,
    )
    transfer_confirmed.send(sender=Transfer, transfer=transfer, actor=actor)
    return transfer


@transaction.atomic
def transfer_decline(
    *, transfer: Transfer, actor, reason: str, address: str | None = None
) -> Transfer:
    transfer = _open_locked(transfer)
    if not may_decide(actor, transfer):
        raise PermissionDenied("只有转出学校或区教体局可以处理待处理的转学申请")
    if not reason.strip():
        raise ValidationError("请写明不同意的理由")
    return _close(
        transfer,
        actor=actor,
        status=TransferStatus.DECLINED,
        summary="不同意转学",
        reason=reason.strip(),
        address=address,
    )


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, actor, address: str | None = None) -> Transfer:
    transfer = _open_locked(transfer)
    if not may_cancel(actor, transfer):
        raise PermissionDenied("只有转入学校可以撤回待处理的申请")
    return _close(
        transfer,
        actor=actor,
        status=TransferStatus.CANCELLED,
        summary="撤回转学申请",
        address=address,
    )


@transaction.atomic
def enrolment_update(*, enrolment: Enrolment, values: dict, actor, address=None) -> Enrolment:
    """A page edit of one enrolment: scope, the shared rules (the model's clean), the save and
    its audit row in one place. The school and the person are not edited here (transfers are)."""
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("school__org_unit")
        .get(pk=enrolment.pk)
    )
    # the scope is asked of the locked row: a transfer confirmed since the caller loaded it
    # has moved the pupil to another school
    if not Reach(actor, Action.CHANGE).covers(enrolment.school.org_unit.path):
        raise PermissionDenied("无权修改该学生的学籍")
    before = snapshot(enrolment)
    for field, value in values.items():
        if field in ("person", "school", "year"):
            raise ValidationError("学校、学年和学生本人不能在此修改，转学请走转学申请")
        setattr(enrolment, field, value)
    enrolment.full_clean()
    enrolment.save()
    audit_record(
        actor=actor,
        instance=enrolment,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(enrolment),
        address=address,
        summary="在页面上修改学籍信息",
    )
    return enrolment
