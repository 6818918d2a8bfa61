"""Retention of closed cases: the bureau sets how many years a closed case keeps its personal
fields; the daily job then erases them (names, contacts' free text, notes, files) and keeps the
case's dates, statuses and counts, so every figure computed from cases stays what it was. The
audit rows of the case and of its contacts, notices, events, files and linked cross-check
findings (and of a child known only through the case) lose their personal text too, through the audit trail's redaction."""

import datetime as dt
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from ruraledu.accounts.policy import is_bureau
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.redaction import audit_redact, events_of
from ruraledu.audit.services import AuditEntry, audit_bulk, audit_record
from ruraledu.students.models import StudentPerson

from ..choices import CaseEventKind, CaseStatus
from ..models import (
    CareRetention,
    CaseContact,
    CaseEvent,
    CaseFile,
    DropoutCase,
    Finding,
    ReturnNotice,
)

ERASED = "（保存期满已清除）"
MIN_YEARS, MAX_YEARS = 1, 30
# text kept non-empty (a placeholder) where the indicators ask "was there a plan"
CASE_TEXT = (
    "teacher_name",
    "village_cadre",
    "plan",
    "certificate_number",
    "certificate_issuer",
    "placement_note",
    "legal_procedure",
    "close_note",
)
CONTACT_TEXT = ("who", "outcome", "next_step")


def retention_years() -> int | None:
    row = CareRetention.objects.first()
    return row.years if row else None


@transaction.atomic
def retention_set(*, actor, years: int, address: str | None = None) -> CareRetention:
    """The bureau sets the retention period (whole years after closure)."""
    if not is_bureau(actor):
        raise PermissionDenied("只有区教体局可以设定保存期限。")
    if not MIN_YEARS <= years <= MAX_YEARS:
        raise ValidationError(f"保存年限应为 {MIN_YEARS}–{MAX_YEARS} 年。")
    row = CareRetention.objects.select_for_update().first()
    before = {"years": row.years} if row else {}
    if row is None:
        row = CareRetention(years=years, updated_by=actor)
    row.years, row.updated_by = years, actor
    row.save()
    audit_record(
        actor=actor,
        instance=row,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after={"years": years},
        summary=f"控辍保学个案保存期限：结案后 {years} 年",
        address=address,
    )
    return row


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def expired_cases(*, today: dt.date, years: int):
    """Closed cases whose closure is more than `years` ago and not erased yet."""
    return DropoutCase.objects.filter(
        status=CaseStatus.CLOSED,
        closed_on__lt=_years_before(today, years),
        erased_on__isnull=True,
    )


def _placeholder(value: str) -> str:
    return ERASED if value else ""


@transaction.atomic
def cases_erase_expired(*, today: dt.date) -> int:
    """Erase the personal fields of every case past the retention period; none is set: none."""
    years = retention_years()
    if years is None:
        return 0
    cases = list(
        expired_cases(today=today, years=years).select_for_update().select_related("person")
    )
    stored = []
    for case in cases:
        for field in CASE_TEXT:
            setattr(case, field, _placeholder(getattr(case, field)))
        case.erased_on = today
        case.version += 1
        case.save(update_fields=[*CASE_TEXT, "erased_on", "version", "updated_at"])
        contacts = list(CaseContact.objects.filter(case=case))
        for contact in contacts:
            for field in CONTACT_TEXT:
                setattr(contact, field, _placeholder(getattr(contact, field)))
        CaseContact.objects.bulk_update(contacts, CONTACT_TEXT)
        notices = ReturnNotice.objects.filter(case=case)
        audited = {
            DropoutCase: [case.pk],
            # the cross-check's rows of the child that led to the case (a clearing's words)
            Finding: list(Finding.objects.filter(case=case).values_list("pk", flat=True)),
            CaseContact: [c.pk for c in contacts],
            ReturnNotice: list(notices.values_list("pk", flat=True)),
            CaseEvent: list(CaseEvent.objects.filter(case=case).values_list("pk", flat=True)),
        }
        notices.update(guardian=ERASED)
        # the log keeps its steps and dates, not the words that named people
        CaseEvent.objects.filter(case=case).exclude(note="").update(note=ERASED)
        files = list(CaseFile.objects.filter(case=case))
        audited[CaseFile] = [f.pk for f in files]
        stored += [(f.file.storage, f.file.name) for f in files]
        CaseFile.objects.filter(case=case).delete()
        # the clearing's own words may name people; the checks' generated text stays
        Finding.objects.filter(case=case).exclude(clear_evidence="").update(clear_evidence=ERASED)
        if _erase_child_if_case_only(case):
            audited[StudentPerson] = [case.person_id]
            # the cross-checks' copies of the child (through any case, or found by the
            # child's record) go with the child's own name, birth date and ID hint
            copies = Finding.objects.filter(
                Q(student_id=case.person_id) | Q(case__person_id=case.person_id)
            )
            audited[Finding] = sorted({*audited[Finding], *copies.values_list("pk", flat=True)})
            copies.update(name=ERASED, birth_date=None, id_hint="")
        redaction = audit_redact(
            events=events_of(audited),
            actor=None,
            instance=case,
            reason="retention",
            summary=f"控辍保学个案：保存期满（结案后 {years} 年），清除审计记录中的个人信息",
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.ERASED,
            on=today,
            actor=None,
            from_status=case.status,
            to_status=case.status,
            note=f"结案已满 {years} 年，个人信息已清除（联系记录 {len(contacts)} 条，材料 {len(files)} 个）",
        )
        audit_record(
            actor=None,
            instance=case,
            action=AuditAction.UPDATE,
            after={
                "erased_on": today,
                "files_removed": len(files),
                "contacts": len(contacts),
                "audit_rows_redacted": redaction.after["count"] if redaction else 0,
            },
            summary=f"控辍保学个案：保存期满（结案后 {years} 年），清除个人信息",
        )
    for storage, name in stored:
        transaction.on_commit(partial(storage.delete, name))
    _findings_catch_up()
    return len(cases)


def _findings_catch_up() -> int:
    """Findings still holding what an erasure took (of cases erased before findings were
    erased with them), erased the same way; each change audited without the words."""
    gone = ERASED[:50]
    words = Finding.objects.filter(case__erased_on__isnull=False).exclude(
        clear_evidence__in=("", ERASED)
    )
    names = Finding.objects.filter(Q(student__name=gone) | Q(case__person__name=gone)).exclude(
        name=gone
    )
    entries = [
        AuditEntry(model=Finding, object_id=pk, action=AuditAction.UPDATE, after={field: ERASED})
        for field, rows in (("clear_evidence", words), ("name", names))
        for pk in rows.values_list("pk", flat=True)
    ]
    words.update(clear_evidence=ERASED)
    names.update(name=ERASED, birth_date=None, id_hint="")
    if entries:
        audit_bulk(actor=None, entries=entries, summary="比对名单：清除已到期个案遗留的个人信息")
    return len(entries)


def _erase_child_if_case_only(case: DropoutCase) -> bool:
    """A child known only through cases (never enrolled, no growth file) loses the name too;
    a child on the roster keeps the roster's record, which the roster's own rules govern."""
    person = case.person
    if person.enrolments.exists() or person.growth_files.exists():
        return False
    if person.dropout_cases.filter(Q(erased_on__isnull=True) & ~Q(pk=case.pk)).exists():
        return False
    # the birth date and ID hint too: a later cross-check copies them from here
    if (person.name, person.birth_date, person.id_hint) != (ERASED[:50], None, ""):
        person.name, person.birth_date, person.id_hint = ERASED, None, ""
        person.save(update_fields=["name", "birth_date", "id_hint"])
    return True
