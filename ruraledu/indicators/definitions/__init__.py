"""Every indicator the plan's targets name, registered on import."""

from . import (  # noqa: F401
    aid,
    care,
    coverage,
    evaluation,
    evaluation_schools,
    evaluation_staff,
    hotline,
    inclusion,
    leftbehind,
    people,
    preschool,
    quality,
    special,
    supervision,
    towns,
)
