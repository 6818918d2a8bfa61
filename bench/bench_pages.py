"""Page speed under load (not a test): the cockpit, a project page and a school profile served
by gunicorn from the demo district on SQLite, 20 concurrent connections from wrk in a second
process. Goal: p95 < 200 ms, no errors.

    .venv/bin/python bench/bench_pages.py [--database sqlite:////path/to/db.sqlite3] [--seconds 20]

Without --database a fresh SQLite file gets the demo district and its indicator values first
(not timed). Needs Debian's wrk (apt-get install wrk).
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50=%%.1f p95=%%.1f p99=%%.1f max=%%.1f requests=%%d non2xx=%%d errors=%%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def prepare(database: str | None) -> str:
    if database:
        return database
    folder = tempfile.mkdtemp(prefix="bench-pages-")
    database = f"sqlite:///{folder}/demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": database, "DATA_KEY_FILE": f"{folder}/data.key"}
    for command in (["migrate", "-v0"], ["setup_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    os.environ["DATA_KEY_FILE"] = env["DATA_KEY_FILE"]
    return database


def login(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": "leader", "password": "Demo@2026", "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(
        urllib.request.Request(
            f"{base}/accounts/login/", data=data, headers={"Referer": base + "/"}
        )
    )
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("需要 wrk：apt-get install wrk")
    database = prepare(args.database)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-" + "x" * 40,
        "DEBUG": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="bench-static-"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        cookie = login(base)
        school = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django,os;django.setup();from ruraledu.orgunits.models import School;"
                "print(School.objects.filter(stage='211', urban_rural_code='220').order_by('pk').first().org_unit.code)",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        pages = {
            "cockpit": "/",
            "project": "/plan/projects/11/",
            "school profile": f"/units/{school}/profile/",
        }
        results = {}
        for label, path in [*pages.items(), ("all three", None)]:
            paths = list(pages.values()) if path is None else [path]
            script = Path(tempfile.mkstemp(suffix=".lua")[1])
            script.write_text(LUA % ", ".join(f'"{p}"' for p in paths))
            out = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    "-c20",
                    f"-d{args.seconds}s",
                    "-H",
                    f"Cookie: {cookie}",
                    "-s",
                    str(script),
                    base,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results[label] = re.search(r"RESULT (.*)", out).group(1)
            print(f"{label:<15} {results[label]}")
        worst = max(float(re.search(r"p95=([\d.]+)", r).group(1)) for r in results.values())
        errors = sum(
            int(x) for r in results.values() for x in re.findall(r"(?:non2xx|errors)=(\d+)", r)
        )
        print(
            f"gunicorn {args.workers} workers, 20 connections, {args.seconds} s per run; "
            f"worst p95 {worst:.1f} ms (goal < 200 ms), errors {errors} -> {'met' if worst < 200 and not errors else 'NOT met'}"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
