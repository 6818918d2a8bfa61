import os
import sqlite3
import subprocess
import sys
from contextlib import closing

from django.conf import settings

from config.settings.base import database_from_url


def load_production(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_debug():
    result = load_production(DEBUG="1", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_refuses_the_default_secret():
    result = load_production(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret():
    result = load_production(DEBUG="0", SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


def test_database_url_selects_the_engine():
    assert database_from_url("postgres://postgres@127.0.0.1:5432/x")["ENGINE"].endswith(
        "postgresql"
    )
    sqlite = database_from_url("sqlite:////tmp/x.sqlite3")
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]


def test_the_embedded_sqlite_init_command_turns_on_wal(tmp_path):
    # given the embedded configuration for a file database
    config = database_from_url(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    # when a connection runs its init command (Django runs it on every new connection)
    with closing(sqlite3.connect(config["NAME"])) as connection:
        connection.executescript(config["OPTIONS"]["init_command"])
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    # then readers and the writer do not block each other
    assert mode == "wal"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
