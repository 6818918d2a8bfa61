"""Helpers and the two kinds of people the demo simulation moves around."""

import datetime as dt
import random
from functools import lru_cache

from ruraledu.workforce.choices import Honour, Position, Subject

from . import district as shape

PE_ART = (Subject.PE, Subject.MUSIC, Subject.ART)
INSTITUTES = (
    "鲁中示例师范学院", "淄博示例职业学院", "山东示例教育科学研究院", "齐鲁示例师范大学",
    "淄博示例幼儿师范高等专科学校",
)  # fmt: skip
LEADERS = (Position.PRINCIPAL, Position.VICE_PRINCIPAL)
KG_LEADERS = (Position.KG_PRINCIPAL, Position.KG_VICE_PRINCIPAL)
CENTRAL_ROLES = (shape.CENTRAL_PRIMARY, shape.CENTRAL_JUNIOR)


def iso(day: dt.date) -> str:
    return day.isoformat()


@lru_cache(maxsize=32)
def school_days(year: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Weekdays of the two semesters of a school year, as ISO dates."""

    def weekdays(start: dt.date, end: dt.date) -> tuple[str, ...]:
        days, day = [], start
        while day <= end:
            if day.weekday() < 5:
                days.append(day.isoformat())
            day += dt.timedelta(days=1)
        return tuple(days)

    return (
        weekdays(dt.date(year, 9, 8), dt.date(year + 1, 1, 15)),
        weekdays(dt.date(year + 1, 2, 20), dt.date(year + 1, 6, 30)),
    )


def weighted(rng: random.Random, pairs) -> str:
    total = sum(w for _, w in pairs)
    pick = rng.random() * total
    for value, weight in pairs:
        pick -= weight
        if pick < 0:
            return value
    return pairs[-1][0]


class Student:
    __slots__ = (
        "pk", "site", "grade", "village", "distance", "u_transport", "u_mentor", "u_board",
        "left_behind", "disability", "placement", "orphan", "unattended", "hardship",
        "family_status", "struggling", "trip_primary", "trip_junior", "mentor",
    )  # fmt: skip


class Staff:
    __slots__ = (
        "pk", "name", "site", "sex", "birth_year", "position", "degree", "title", "subject",
        "establishment", "honour", "honour_level", "researcher", "hired_year", "bound",
        "peripatetic", "needs_dorm", "u_dorm", "u_link", "u_lesson", "u_training", "rotation",
    )  # fmt: skip

    @property
    def leader(self) -> bool:
        return self.position in LEADERS or self.position in KG_LEADERS

    @property
    def backbone(self) -> bool:
        return self.honour in (Honour.BACKBONE, Honour.FAMOUS_TEACHER) and bool(self.honour_level)
