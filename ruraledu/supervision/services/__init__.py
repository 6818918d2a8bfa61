"""Every supervision write: each checks the policy, refuses an illegal step in Chinese, locks
the row and checks the version where people compete, and writes the audit row."""

from .checklists import checklist_current, checklist_draft_save, checklist_publish, visit_kind_save
from .escalation import items_escalate
from .lessons import (
    lesson_record,
    lesson_schools,
    lesson_teachers,
    lessons_recorded_by,
    may_record_lesson,
)
from .numbering import notice_number_next
from .observations import observation_record
from .rectification import item_answer, item_close, item_create, item_return, notice_issue
from .reminders import items_remind
from .visits import (
    finding_add,
    photo_add,
    visit_correct,
    visit_create,
    visit_sign_off,
    visit_update,
)
from .zones import (
    assignment_update,
    inspector_assign,
    inspector_photo_set,
    inspector_unassign,
    school_link_assign,
    staff_account_link,
    zone_save,
)

__all__ = [
    "assignment_update",
    "inspector_photo_set",
    "checklist_current",
    "checklist_draft_save",
    "checklist_publish",
    "finding_add",
    "inspector_assign",
    "inspector_unassign",
    "item_answer",
    "item_close",
    "item_create",
    "item_return",
    "items_escalate",
    "items_remind",
    "lesson_record",
    "lesson_schools",
    "lesson_teachers",
    "lessons_recorded_by",
    "may_record_lesson",
    "notice_issue",
    "notice_number_next",
    "observation_record",
    "photo_add",
    "school_link_assign",
    "staff_account_link",
    "visit_correct",
    "visit_create",
    "visit_kind_save",
    "visit_sign_off",
    "visit_update",
    "zone_save",
]
