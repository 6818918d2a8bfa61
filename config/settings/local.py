"""Embedded demo mode: SQLite, debug pages on unless DEBUG=0."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
WHITENOISE_USE_FINDERS = True
