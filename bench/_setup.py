"""Shared set-up for benchmarks: a throw-away SQLite (or given) database, migrated."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on(database_url: str | None = None) -> str:
    """Point Django at `database_url` (default: a fresh SQLite file), migrate, return the URL."""
    sys.path.insert(0, str(ROOT))
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="ruraledu-bench-")
        database_url = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    # files a bench stores (uploads, exports) go to a scratch folder, not the checkout's
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ruraledu-bench-files-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return database_url
