"""Deadline-day load test (not a test): 200 signed-in users reading pages while 50 schools
upload their rosters, on PostgreSQL, gunicorn (deploy/gunicorn.conf.py) and a pool of task
workers (`manage.py db_worker`), all on this machine's loopback. Bounded: a fixed duration
and a cap on page requests. Goals: 0 errors, every upload committed exactly once with its
rows, page p95 < 300 ms; prints the import queue wait (enqueue → start) too.

    .venv/bin/python bench/load/run.py --postgres postgres://postgres@127.0.0.1:5432/ruraledu_load

The database named is dropped and created; the demo district is generated into
NAME_seed first (kept with --reuse, so a second run starts in seconds). Needs the bench extra
(pip install -e '.[bench]': locust).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import psutil
import psycopg

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PY = sys.executable
# per-database settings from deploy/postgresql-ruraledu.conf (the server-wide ones, such as
# shared_buffers, need the server's own configuration: the bench runs on what it finds)
DATABASE_SETTINGS = {"work_mem": "32MB", "random_page_cost": "1.1", "jit": "off"}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def admin_url(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base + "/postgres", name


def sql(url: str, *statements: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def database_exists(url: str) -> bool:
    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def run(command: list[str], env: dict, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kw)


def prepare_database(url: str, env: dict, reuse: bool) -> float:
    """NAME_seed with the demo district (generated unless reused), copied to NAME."""
    admin, name = admin_url(url)
    seed_url = f"{url}_seed"
    started = time.perf_counter()
    if not (reuse and database_exists(seed_url)):
        sql(admin, f'DROP DATABASE IF EXISTS "{name}_seed"', f'CREATE DATABASE "{name}_seed"')
        local = {**env, "DATABASE_URL": seed_url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
        run([PY, "manage.py", "migrate", "-v0"], local)
        run([PY, "manage.py", "setup_demo"], local, stdout=subprocess.DEVNULL)
        # the demo's own follow-up tasks (recomputes) run now, not during the measurement
        run(
            [PY, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"]
            + ["--queue-name", "default,recompute"],
            local,
            stdout=subprocess.DEVNULL,
        )
    else:  # a kept seed follows the code's migrations
        local = {**env, "DATABASE_URL": seed_url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
        run([PY, "manage.py", "migrate", "-v0"], local)
    sql(
        admin,
        f'DROP DATABASE IF EXISTS "{name}"',
        f'CREATE DATABASE "{name}" TEMPLATE "{name}_seed"',
        *(f'ALTER DATABASE "{name}" SET {k} = {v!r}' for k, v in DATABASE_SETTINGS.items()),
    )
    return time.perf_counter() - started


def wait_until_up(base: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=5)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def imports_ended(url: str, expected: int) -> bool:
    """Every upload's job has ended (the recomputes they asked for may still be queued)."""
    with psycopg.connect(url) as conn:
        jobs, running = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE status IN ('queued', 'validating', 'writing'))"
            " FROM spreadsheets_importjob"
        ).fetchone()
    return jobs >= expected and running == 0


def cpu_seconds(processes: list[subprocess.Popen]) -> float:
    """CPU time of these processes and their children (gunicorn workers, parse sandboxes)."""
    total = 0.0
    for process in processes:
        try:
            parent = psutil.Process(process.pid)
            for p in [parent, *parent.children(recursive=True)]:
                t = p.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def database_cpu_seconds(name: str) -> dict[int, float]:
    """CPU time of each PostgreSQL backend serving database `name` (by process title)."""
    found = {}
    for p in psutil.process_iter(["cmdline"]):
        title = " ".join(p.info["cmdline"] or [])
        if title.startswith("postgres:") and f" {name} " in title:
            try:
                t = p.cpu_times()
                found[p.pid] = t.user + t.system
            except psutil.NoSuchProcess:
                pass
    return found


def connect_ms(url: str, times: int = 30) -> float:
    """Median time to open a PostgreSQL connection here (what CONN_MAX_AGE saves a request)."""
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        psycopg.connect(url).close()
        spent.append((time.perf_counter() - started) * 1000)
    return percentile(spent, 50)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", required=True, help="database to create (dropped first)")
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--new-rows", type=int, default=20, help="new pupils in each roster")
    parser.add_argument("--seconds", type=int, default=180, help="length of the run")
    parser.add_argument("--upload-window", type=int, default=60, help="uploads start within")
    parser.add_argument("--think", default="5,15", help="seconds between a reader's pages")
    parser.add_argument("--max-reads", type=int, default=20000, help="cap on page requests")
    parser.add_argument("--web-workers", type=int, help="default: deploy/gunicorn.conf.py's")
    parser.add_argument("--task-workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--reuse", action="store_true", help="keep and reuse NAME_seed")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ruraledu-load-"))
    base = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "DATABASE_URL": args.postgres,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "load-" + "x" * 40,
        # the seed's ID numbers are encrypted with the key kept beside it (made on first use)
        "DATA_KEY_FILE": str(
            Path(tempfile.gettempdir()) / f"{admin_url(args.postgres)[1]}_seed.key"
        ),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; the proxy does TLS in production
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
    }
    if args.web_workers:
        env["GUNICORN_WORKERS"] = str(args.web_workers)
    setup_seconds = prepare_database(args.postgres, env, args.reuse)
    plan = folder / "plan.json"
    run(
        [
            PY,
            str(HERE / "prepare.py"),
            str(plan),
            str(folder),
            "--readers",
            str(args.readers),
            "--schools",
            str(args.schools),
            "--new-rows",
            str(args.new_rows),
        ],
        env,
    )
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)

    processes = [
        subprocess.Popen(
            [PY, "-m", "gunicorn", "config.wsgi:application", "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stderr=(folder / "web.log").open("w"),
        )
    ]
    # as deployed: the task workers take the default queue (imports), one more the recomputes
    queues = ["default"] * args.task_workers + ["recompute"]
    processes += [
        subprocess.Popen(
            [PY, "manage.py", "db_worker", "--queue-name", queue, "--interval", "1"],
            cwd=ROOT,
            env=env,
            stdout=(folder / f"worker-{i}-{queue}.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        for i, queue in enumerate(queues)
    ]
    results = folder / "requests.jsonl"
    try:
        wait_until_up(base)
        cpu_before = [cpu_seconds(processes[:1]), cpu_seconds(processes[1:])]
        db_before = database_cpu_seconds(admin_url(args.postgres)[1])
        connect = connect_ms(args.postgres)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        locust = subprocess.run(
            [
                PY,
                "-m",
                "locust",
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "-u",
                str(args.readers + args.schools),
                "-r",
                "50",
                "--run-time",
                f"{args.seconds}s",
                "--host",
                base,
                "--stop-timeout",
                "30",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **env,
                "LOAD_PLAN": str(plan),
                "LOAD_RESULTS": str(results),
                "LOAD_THINK": args.think,
                "LOAD_UPLOAD_WINDOW": str(args.upload_window),
                "LOAD_MAX_READS": str(args.max_reads),
            },
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()[0]
        deadline = time.time() + 600  # imports still queued or running
        while not imports_ended(args.postgres, args.schools) and time.time() < deadline:
            time.sleep(2)
        drained = time.perf_counter() - started
        web_cpu = cpu_seconds(processes[:1]) - cpu_before[0]
        task_cpu = cpu_seconds(processes[1:]) - cpu_before[1]
        db_after = database_cpu_seconds(admin_url(args.postgres)[1])
        db_cpu = sum(t - db_before.get(pid, 0.0) for pid, t in db_after.items())
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    checked = json.loads(
        run(
            [PY, str(HERE / "check.py"), str(plan), str(folder)],
            env,
            capture_output=True,
            text=True,
        ).stdout
    )
    report(args, results, checked, locust, elapsed, drained, setup_seconds)
    requests = len(results.read_text().splitlines()) if results.exists() else 0
    print(
        f"machine: load average {load_before:.1f} at the start, {load_after:.1f} at the end "
        f"({os.cpu_count()} cores shared with other work). CPU used in {drained:.0f} s: gunicorn "
        f"{web_cpu:.0f} s ({web_cpu * 1000 / max(requests, 1):.0f} ms per request), task workers "
        f"{task_cpu:.0f} s, PostgreSQL {db_cpu:.0f} s = {(web_cpu + task_cpu + db_cpu) / drained:.2f} "
        f"cores on average; a new PostgreSQL connection takes {connect:.1f} ms (median)"
    )
    print(f"logs: {folder}")
    admin, name = admin_url(args.postgres)
    sql(admin, f'DROP DATABASE IF EXISTS "{name}"')
    if not args.reuse:
        sql(admin, f'DROP DATABASE IF EXISTS "{name}_seed"')


def report(args, results: Path, checked: dict, locust, elapsed, drained, setup_seconds) -> None:
    records = (
        [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
    )
    if not records:
        print(locust.stdout[-3000:], locust.stderr[-3000:])
    pages = [r for r in records if r["group"] == "page"]
    errors = [r for r in records if r["error"] or r["status"] not in (200, 302)]
    by_kind = defaultdict(list)
    for r in pages:
        by_kind[r["name"]].append(r["ms"])
    print(
        f"set-up (database, not timed) {setup_seconds:.0f} s; run {elapsed:.0f} s, last import ended after {drained:.0f} s"
    )
    print(f"{'page':<10} {'n':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}  (ms)")
    for name, ms in sorted(by_kind.items(), key=lambda kv: -percentile(kv[1], 95)):
        print(
            f"{name:<10} {len(ms):>6} {percentile(ms, 50):>7.0f} {percentile(ms, 95):>7.0f} "
            f"{percentile(ms, 99):>7.0f} {max(ms):>7.0f}"
        )
    all_ms = [r["ms"] for r in pages]
    p95 = percentile(all_ms, 95)
    print(
        f"{'all pages':<10} {len(all_ms):>6} {percentile(all_ms, 50):>7.0f} {p95:>7.0f} "
        f"{percentile(all_ms, 99):>7.0f} {max(all_ms, default=0):>7.0f}  "
        f"({len(all_ms) / max(elapsed, 1):.1f} pages/s)"
    )
    for group, label in (("upload", "upload form + POST"), ("poll", "job page polls")):
        ms = [r["ms"] for r in records if r["group"] == group]
        print(
            f"{label}: {len(ms)} requests, p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms"
        )
    print(
        f"imports: {checked['uploads']} rosters, {checked['rows']} rows; queue wait (enqueue → start) "
        f"p50 {checked['wait_p50']:.1f} s, p95 {checked['wait_p95']:.1f} s, max {checked['wait_max']:.1f} s; "
        f"upload → committed p50 {checked['span_p50']:.1f} s, p95 {checked['span_p95']:.1f} s; "
        f"recomputes asked by imports: {checked['recomputes_done']} of {checked['recomputes']} done by then"
    )
    for e in errors[:20]:
        print("error:", e)
    for p in checked["problems"][:20]:
        print("import problem:", p)
    ok = not errors and not checked["problems"] and p95 < 300
    print(
        f"{args.readers} readers + {args.schools} uploading schools, {args.seconds} s, think {args.think} s, "
        f"{args.task_workers} task workers + 1 recompute worker, CONN_MAX_AGE={os.environ.get('CONN_MAX_AGE', '60')}: "
        f"errors {len(errors)}, import problems {len(checked['problems'])}, page p95 {p95:.0f} ms "
        f"(goal < 300) -> {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
