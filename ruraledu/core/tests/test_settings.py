import base64
import os
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import database_from_url, env_bool

OWN_VARIABLES = ("DEBUG", "SECRET_KEY", "DATA_KEY", "DATA_KEY_FILE", "DJANGO_SETTINGS_MODULE")
REAL_SECRETS = {
    "SECRET_KEY": "k" * 50,
    "DATA_KEY": base64.b64encode(b"d" * 32).decode(),
}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    """`code` in a fresh interpreter, with none of the variables under test inherited."""
    environment = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def load_production(**env) -> subprocess.CompletedProcess:
    env.setdefault("DATA_KEY", REAL_SECRETS["DATA_KEY"])
    env.setdefault("DATA_KEY_FILE", "/nonexistent/data.key")  # the checkout's key is no help
    return run_python(
        "import django; django.setup()", DJANGO_SETTINGS_MODULE="config.settings.production", **env
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


def test_production_refuses_to_start_without_the_personal_data_key():
    # given a real secret but neither DATA_KEY nor a key file
    result = load_production(DEBUG="0", SECRET_KEY="k" * 50, DATA_KEY="")
    # then it stops before serving anything, saying which key is missing
    assert result.returncode != 0
    assert "生产环境必须设置个人信息加密密钥：DATA_KEY 环境变量，或 DATA_KEY_FILE" in result.stderr


def test_production_starts_with_a_key_file_instead_of_the_variable(tmp_path):
    key_file = tmp_path / "data.key"
    key_file.write_text(REAL_SECRETS["DATA_KEY"])
    result = load_production(
        DEBUG="0", SECRET_KEY="k" * 50, DATA_KEY="", DATA_KEY_FILE=str(key_file)
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_mistyped_debug_instead_of_reading_it_as_off():
    result = load_production(DEBUG="flase", SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "环境变量 DEBUG 的值“flase”无法识别" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        (" Yes ", True),
        ("ON", True),
        ("0", False),
        ("False", False),
        ("no", False),
        ("off", False),
    ],
)
def test_env_bool_reads_the_accepted_words(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_SWITCH", value)
    assert env_bool("SOME_SWITCH", not expected) is expected


@pytest.mark.parametrize("value", [None, "", "  "])
def test_env_bool_gives_the_default_when_unset_or_empty(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("SOME_SWITCH", raising=False)
    else:
        monkeypatch.setenv("SOME_SWITCH", value)
    assert env_bool("SOME_SWITCH", True) is True
    assert env_bool("SOME_SWITCH", False) is False


@pytest.mark.parametrize("value", ["flase", "2", "y", "enabled", "是"])
def test_env_bool_refuses_an_unknown_value_naming_the_variable_and_the_accepted_ones(
    monkeypatch, value
):
    monkeypatch.setenv("SECURE_COOKIES", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("SECURE_COOKIES", True)
    assert str(refused.value) == (
        f"环境变量 SECURE_COOKIES 的值“{value}”无法识别：开启请设为 1、true、yes、on，"
        "关闭请设为 0、false、no、off（不区分大小写）。"
    )


def test_the_wsgi_entry_point_defaults_to_production_settings():
    # given no settings module chosen and no secrets
    refused = run_python("import config.wsgi")
    # then it is production that loads, and it refuses the default secret
    assert refused.returncode != 0
    assert "生产环境必须通过 SECRET_KEY" in refused.stderr
    # and with real secrets it serves production settings
    started = run_python(
        "import config.wsgi; from django.conf import settings; print(settings.SETTINGS_MODULE)",
        DATA_KEY_FILE="/nonexistent/data.key",
        **REAL_SECRETS,
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "config.settings.production"


def test_manage_py_still_runs_local_settings_without_secrets():
    # `make run` starts runserver and the worker through manage.py, with no variables set
    result = run_python(
        "import runpy, sys; sys.argv = ['manage.py', 'diffsettings', '--output', 'unified'];"
        " runpy.run_path('manage.py', run_name='__main__')"
    )
    assert result.returncode == 0, result.stderr
    assert "+ SETTINGS_MODULE = 'config.settings.local'" in result.stdout


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
