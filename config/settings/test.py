"""Test mode: same database selection as base (DATABASE_URL), fast hashing."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405
    }
}

# Each test has its own data; a process-wide page cache would leak between them.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "api_throttle": API_THROTTLE_CACHE,  # noqa: F405
}

# Uploads and generated files go to a folder of this test process, made by the first file
# stored and removed when the process ends (conftest), not into the checkout's var/files.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"ruraledu-test-files-{os.getpid()}"

# The test runner empties the database between transactional tests with `flush`.
AUDIT_TRAIL_FLUSHABLE = True

# Tests log in with force_login; the accounts tests turn these on to prove the enforcement.
OTP_REQUIRED = False
PASSWORD_CHANGE_FIRST_LOGIN = False
# Pinned query counts leave out the session's save on each request (the idle-time refresh);
# the accounts tests turn it back on.
SESSION_SAVE_EVERY_REQUEST = False

# SQLite tests use a file of their own (one per test process), not the shared in-memory
# database: with that, Django hands the browser tests' live server the test's own connection,
# and a request still being answered while the test (or the next one) queried broke both.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"ruraledu-test-{os.getpid()}.sqlite3")
    }
