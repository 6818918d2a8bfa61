"""Working-day time limits of each step, counted on the reporting app's holiday table."""

import datetime as dt

from ruraledu.reporting.workdays import WorkingCalendar

from .choices import CaseStatus

# working days allowed for the next step after entering a status
STEP_DAYS = {
    CaseStatus.FOUND: 2,  # name the 班主任 and 包村干部
    CaseStatus.ASSIGNED: 3,  # first home visit or call
    CaseStatus.CONTACTING: 10,  # back at school, or reported to the town
    CaseStatus.ESCALATED_TOWN: 15,  # the notice's return date
    CaseStatus.ESCALATED_DISTRICT: 20,  # the bureau's decision
}
NOTICE_DAYS = STEP_DAYS[CaseStatus.ESCALATED_TOWN]
NEGLECT_DAYS = 30  # no contact for this many calendar days: 疏于跟进


def working_deadline(start: dt.date, days: int) -> tuple[dt.date, bool]:
    """The `days`-th working day after `start`, and whether a year it counted through has no
    holiday data yet (the date is then provisional)."""
    calendar = WorkingCalendar.load(range(start.year, start.year + 2))
    return calendar.add_working_days(start, days)


def step_deadline(status: str, start: dt.date) -> tuple[dt.date | None, bool]:
    days = STEP_DAYS.get(status)
    if days is None:
        return None, False
    return working_deadline(start, days)


# the daily job: a step overdue by this many working days goes to the town, then the district
ESCALATE_TOWN_LATE = 1
ESCALATE_DISTRICT_LATE = 10
# remind whoever must act when the deadline is this many working days away or fewer
REMIND_WORKING_DAYS = 1
# a step left overdue is reminded again this many working days after its deadline or its
# latest escalation notice, and every as many after that, until someone acts on it
OVERDUE_REMIND_WORKING_DAYS = 5
