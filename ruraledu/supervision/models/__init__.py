from .checklists import Checklist, ChecklistItem, VisitKind
from .rectification import (
    AnswerEvidence,
    ItemAnswer,
    ItemEvent,
    NoticeCounter,
    RectificationItem,
    RectificationNotice,
)
from .visits import Finding, Visit, VisitPhoto, VisitVerdict
from .zones import InspectorAssignment, InspectorPhoto, StaffAccount, Zone

__all__ = [
    "AnswerEvidence",
    "Checklist",
    "ChecklistItem",
    "Finding",
    "InspectorAssignment",
    "InspectorPhoto",
    "ItemAnswer",
    "ItemEvent",
    "NoticeCounter",
    "RectificationItem",
    "RectificationNotice",
    "StaffAccount",
    "Visit",
    "VisitKind",
    "VisitPhoto",
    "VisitVerdict",
    "Zone",
]
