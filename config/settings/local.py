"""Embedded demo mode: SQLite, debug pages on unless DEBUG=0."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
WHITENOISE_USE_FINDERS = True
# The demo logs in without a phone and keeps its printed passwords (README, 安全).
OTP_REQUIRED = env_bool("OTP_REQUIRED", False)
PASSWORD_CHANGE_FIRST_LOGIN = env_bool("PASSWORD_CHANGE_FIRST_LOGIN", False)
