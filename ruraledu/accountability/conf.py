"""The bureau's limits, read from the environment in config/settings/base.py
(ACCOUNTABILITY_*); read here so that a test's override_settings applies."""

from django.conf import settings


def report_overdue_days() -> int:
    """Working days past a report's deadline before its lead department is a candidate."""
    return settings.ACCOUNTABILITY_REPORT_OVERDUE_DAYS


def item_overdue_days() -> int:
    """Working days past a rectification item's deadline before its school is a candidate."""
    return settings.ACCOUNTABILITY_ITEM_OVERDUE_DAYS
