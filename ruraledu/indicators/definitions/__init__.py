"""Every indicator the plan's targets name, registered on import."""

from . import aid, care, coverage, hotline, inclusion, leftbehind, people, preschool, quality, special, towns  # noqa: F401
from . import evaluation  # noqa: F401
from . import supervision  # noqa: F401
