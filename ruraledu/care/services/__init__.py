"""Every write to a care case: each transition checks the policy, refuses an illegal step in
Chinese, locks the row and checks the version, and writes an event and an audit row."""

from .cases import case_assign, case_contact_add, case_open, case_plan_set
from .common import plan_missing
from .escalation import cases_follow_up
from .files import case_file_add
from .findings import finding_case_open, finding_clear
from .growth import (
    growth_file_exit,
    growth_file_open,
    growth_file_take_over,
    growth_plan_set,
    growth_review_add,
)
from .outcomes import case_close, case_escalate, case_resolve

__all__ = [
    "case_assign",
    "case_close",
    "case_contact_add",
    "case_file_add",
    "case_escalate",
    "case_open",
    "case_plan_set",
    "case_resolve",
    "cases_follow_up",
    "finding_case_open",
    "finding_clear",
    "growth_file_exit",
    "growth_file_open",
    "growth_file_take_over",
    "growth_plan_set",
    "growth_review_add",
    "plan_missing",
]
