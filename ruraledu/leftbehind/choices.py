from django.db import models
from django.db.models import Q


class ContactKind(models.TextChoices):
    TALK = "talk", "谈心"
    HOME_VISIT = "home_visit", "家访"
    PHONE = "phone", "电话联系监护人"
    VIDEO = "video", "视频联系监护人"
    OTHER = "other", "其他"


# the enrolment flags that put a child on the care list (留守、孤儿、事实无人抚养、困境)
CARE_FLAGS = ("left_behind", "orphan", "unattended", "hardship")
# the flags beyond 留守 describe family hardship: shown only where personal data may be seen
HARDSHIP_FLAGS = ("orphan", "unattended", "hardship")


def cared_for(prefix: str = "") -> Q:
    """An enrolment (reached through `prefix`) carrying one of the care flags."""
    condition = Q()
    for flag in CARE_FLAGS:
        condition |= Q(**{f"{prefix}{flag}": True})
    return condition
