"""The bureau's supervision settings, read from the environment in config/settings/base.py
(SUPERVISION_*); read here so that a test's override_settings applies."""

from django.conf import settings


def notice_pattern() -> str:
    return settings.SUPERVISION_NOTICE_PATTERN


def escalate_town_days() -> int:
    """Working days past an item's deadline before it is reported to the town office."""
    return settings.SUPERVISION_ESCALATE_TOWN_DAYS


def escalate_bureau_days() -> int:
    """Working days past an item's deadline before it is reported to the bureau's 督导室."""
    return settings.SUPERVISION_ESCALATE_BUREAU_DAYS


def observations_per_semester() -> int:
    """包校教研员每学期至少听课次数 (per linked school)."""
    return settings.SUPERVISION_OBSERVATIONS_PER_SEMESTER


def photo_max_bytes() -> int:
    return settings.SUPERVISION_PHOTO_MAX_BYTES


def hotline() -> str:
    return settings.SUPERVISION_HOTLINE


def remind_days() -> int:
    """Working days before an item's deadline when the school and its inspector are reminded."""
    return settings.SUPERVISION_REMIND_DAYS
