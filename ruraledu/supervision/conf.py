"""The bureau's supervision settings (settings.py reads them from the environment)."""

from django.conf import settings

DEFAULT_NOTICE_PATTERN = "川教督整〔{year}〕{number}号"


def notice_pattern() -> str:
    return getattr(settings, "SUPERVISION_NOTICE_PATTERN", DEFAULT_NOTICE_PATTERN)


def escalate_town_days() -> int:
    """Working days past an item's deadline before it is reported to the town office."""
    return int(getattr(settings, "SUPERVISION_ESCALATE_TOWN_DAYS", 5))


def escalate_bureau_days() -> int:
    """Working days past an item's deadline before it is reported to the bureau's 督导室."""
    return int(getattr(settings, "SUPERVISION_ESCALATE_BUREAU_DAYS", 10))


def observations_per_semester() -> int:
    """包校教研员每学期至少听课次数 (per linked school)."""
    return int(getattr(settings, "SUPERVISION_OBSERVATIONS_PER_SEMESTER", 8))
