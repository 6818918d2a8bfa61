"""The one signal receiver: a summary audit row for each committed spreadsheet import."""

from .choices import AuditAction
from .services import audit_summary, id_ranges


def audit_import_committed(sender, *, kind, year, user, result, **kwargs) -> None:
    title = getattr(getattr(sender, "spec", None), "title", "") or kind
    created = {label: id_ranges(pks) for label, pks in result.created_ids.items() if pks}
    audit_summary(
        actor=user,
        action=AuditAction.IMPORT,
        summary=f"导入“{title}”（{year}学年）：新增 {result.created} 条，更新 {result.updated} 条，未变 {result.unchanged} 条",
        after={
            "kind": kind,
            "year": year,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            **({"created_records": created} if created else {}),
        },
    )
