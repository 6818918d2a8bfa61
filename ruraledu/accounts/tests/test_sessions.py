"""Sessions end after SESSION_IDLE_MINUTES without a request; each request moves the end."""

import datetime as dt
import os
import subprocess
import sys
import time

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ruraledu.accounts.idle import REFRESH_SECONDS, SEEN

PROFILE = "/accounts/me/"


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _last_seen(client, seconds_ago: int) -> None:
    session = client.session
    session[SEEN] = int(time.time()) - seconds_ago
    session.save()


def test_the_idle_time_is_thirty_minutes_by_default():
    from config.settings import base

    assert base.SESSION_COOKIE_AGE == 30 * 60


def test_the_idle_time_comes_from_the_environment():
    code = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    env = {
        **os.environ,
        "SESSION_IDLE_MINUTES": "5",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "300"
    env["SESSION_IDLE_MINUTES"] = "0"
    refused = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0
    assert "SESSION_IDLE_MINUTES" in refused.stderr


def test_each_request_moves_the_end_of_the_session(client, district_leader):
    # given a session last refreshed a minute ago that would end in a minute
    client.force_login(district_leader)
    _last_seen(client, REFRESH_SECONDS)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )
    # when the user opens a page
    assert client.get(PROFILE).status_code == 200
    # then the session ends the idle time after this request
    left = _session(client).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)


def test_requests_within_a_minute_write_the_session_once(client, district_leader):
    client.force_login(district_leader)
    _last_seen(client, REFRESH_SECONDS)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(PROFILE).status_code == 200
    writes = [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith("UPDATE")
    ]
    assert len(writes) == 1


def test_an_idle_session_has_ended(client, district_leader):
    # given a session idle for longer than the idle time
    client.force_login(district_leader)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    # when the user comes back
    response = client.get(PROFILE)
    # then they must log in again
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _settings_of(module: str, **env) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.OTP_REQUIRED, s.PASSWORD_CHANGE_FIRST_LOGIN, s.SESSION_COOKIE_AGE)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("OTP_REQUIRED", "DEBUG")}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_production_requires_two_factor_and_the_demo_does_not(tmp_path):
    key = tmp_path / "data.key"
    key.write_text("x")
    production = _settings_of(
        "config.settings.production", SECRET_KEY="s" * 40, DATA_KEY_FILE=str(key)
    )
    assert production == ["True", "True", "1800"]
    assert _settings_of("config.settings.local") == ["False", "False", "1800"]
    assert _settings_of("config.settings.local", OTP_REQUIRED="1")[0] == "True"
