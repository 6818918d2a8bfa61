"""Screenshots of the main pages on the demo district, for the README (`make screenshots`).

Serves the demo database on a free local port, logs in as the demo roles in Debian's Chromium
and saves PNGs under docs/screenshots/.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = [
    ("leader", "/", "cockpit.png"),
    ("leader", "/plan/projects/11/", "project.png"),
    ("leader", "/indicators/rural_day_student_transport_rate/", "indicator.png"),
    ("leader", "/yzjh/", "yzjh.png"),
    ("town", "/org/", "town.png"),
    ("clerk", "/org/", "school.png"),
    ("dept", "/plan/departments/human-resources/", "department.png"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for username in dict.fromkeys(user for user, _, _ in SHOTS):
                page = browser.new_context(
                    viewport={"width": 1366, "height": 900}, locale="zh-CN"
                ).new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", "Demo@2026")
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                for user, path, name in SHOTS:
                    if user == username:
                        page.goto(base + path)
                        page.wait_for_load_state("networkidle")
                        page.wait_for_timeout(600)  # let the charts draw
                        page.screenshot(path=str(OUT / name), full_page=False)
                        print(f"saved docs/screenshots/{name}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
