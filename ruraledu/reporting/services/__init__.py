"""Writes of the reporting app, one module per concern: the holiday table (calendar), schedules
and periods, progress reports and their review, milestones and evidence. Every change writes an
audit row (and a ReportEvent for report steps) in the same transaction; notices go out after
commit. The package's names are its interface: callers import them from here."""

from .attachments import evidence_add, evidence_remove
from .common import LOCKED, NOT_AUTHOR, NOT_BUREAU, NOT_REVIEWER, STALE, bureau_department_code
from .holidays import (
    calendar_day_delete,
    calendar_day_set,
    calendar_day_was_deleted,
    holidays_seed,
    period_deadlines_refresh,
)
from .milestones import target_milestone_set
from .reports import (
    report_approve,
    report_event_create,
    report_resubmit,
    report_return,
    report_start,
    report_submit,
    report_update,
)
from .schedules import (
    periods_ensure_current,
    periods_sync,
    periods_sync_all,
    schedule_set,
    schedule_values,
)

__all__ = [
    "LOCKED",
    "NOT_AUTHOR",
    "NOT_BUREAU",
    "NOT_REVIEWER",
    "STALE",
    "bureau_department_code",
    "calendar_day_delete",
    "calendar_day_set",
    "calendar_day_was_deleted",
    "evidence_add",
    "evidence_remove",
    "holidays_seed",
    "period_deadlines_refresh",
    "periods_ensure_current",
    "periods_sync",
    "periods_sync_all",
    "report_approve",
    "report_event_create",
    "report_resubmit",
    "report_return",
    "report_start",
    "report_submit",
    "report_update",
    "schedule_set",
    "schedule_values",
    "target_milestone_set",
]
