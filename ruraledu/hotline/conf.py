"""The hotline's settings, read from the environment in config/settings/base.py (HOTLINE_*);
read here so that a test's override_settings applies."""

from django.conf import settings


def answer_working_days() -> int:
    """Working days after assignment by which the assignee must answer."""
    return settings.HOTLINE_ANSWER_WORKING_DAYS


def due_soon_working_days() -> int:
    """Remind the assignee when the deadline is this many working days away or fewer."""
    return settings.HOTLINE_DUE_SOON_WORKING_DAYS
