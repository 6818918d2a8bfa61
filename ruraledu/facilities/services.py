"""Writes to 办学条件 from a page (imports write through their importer): permission, the
shared rules, the save and its audit row in one place, so an API can reuse it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.locks import refused_if_taken

from .models import TAKEN, FacilityRecord


@transaction.atomic
def facility_record_save(
    *, school, year: int, values: dict, actor, address: str | None = None
) -> FacilityRecord:
    """Create or update the school's record of `year` with `values` (field -> value)."""
    if not Reach(actor, Action.CHANGE).covers(school.org_unit.path):
        raise PermissionDenied("无权修改该学校的办学条件")
    record = FacilityRecord.objects.select_for_update().filter(
        school=school, year=year
    ).first() or FacilityRecord(school=school, year=year)
    before = snapshot(record) if record.pk else {}
    for field, value in values.items():
        setattr(record, field, value)
    record.full_clean()  # the model applies the shared rules (rules.facility_problems)
    with refused_if_taken(TAKEN):  # the year's first record, saved by another a moment ago
        record.save()
    audit_record(
        actor=actor,
        instance=record,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after=snapshot(record),
        address=address,
        summary="在页面上填报办学条件",
    )
    return record
