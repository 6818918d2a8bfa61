"""Screenshots of the main pages on the demo district, for the README (`make screenshots`).

Serves the demo database on a free local port, logs in as the demo roles in Debian's Chromium
and saves PNGs under docs/screenshots/: the main pages at 1366 px, and the cockpit, the 优质均衡
page and a school's student list also at 390 px (a phone) as full pages.
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
# (user, path, file, viewport width, whole page?)
SHOTS = [
    ("leader", "/", "cockpit.png"),
    ("leader", "/plan/projects/11/", "project.png"),
    ("leader", "/indicators/rural_day_student_transport_rate/", "indicator.png"),
    ("leader", "/yzjh/", "yzjh.png"),
    ("town", "/org/", "town.png"),
    ("clerk", "/org/", "school.png"),
    ("dept", "/plan/departments/human-resources/", "department.png"),
    ("admin", "/", "cockpit-1366.png"),
    ("admin", "/yzjh/", "yzjh-1366.png"),
    ("clerk", "/students/schools/{school}/", "students-1366.png"),
]
PHONE = [
    ("admin", "/", "cockpit-390.png"),
    ("admin", "/yzjh/", "yzjh-390.png"),
    ("clerk", "/students/schools/{school}/", "students-390.png"),
]
DESKTOP, PHONE_WIDTH = 1366, 390


def clerk_school() -> str:
    """The code of the demo clerk's school, for its student list."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from ruraledu.accounts.models import RoleAssignment

    return RoleAssignment.objects.filter(user__username="clerk").first().org_unit.code


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
        school = clerk_school()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for width, shots, full_page in ((DESKTOP, SHOTS, False), (PHONE_WIDTH, PHONE, True)):
                for username in dict.fromkeys(user for user, _, _ in shots):
                    page = browser.new_context(
                        viewport={"width": width, "height": 900 if width == DESKTOP else 844},
                        locale="zh-CN",
                    ).new_page()
                    page.goto(f"{base}/accounts/login/")
                    page.fill("#id_username", username)
                    page.fill("#id_password", "Demo@2026")
                    page.click("button[type=submit]")
                    page.wait_for_load_state("networkidle")
                    for user, path, name in shots:
                        if user == username:
                            page.goto(base + path.format(school=school))
                            page.wait_for_load_state("networkidle")
                            page.wait_for_timeout(600)  # let the charts draw
                            clip = None
                            if full_page:  # the whole width, down to a readable length
                                height = page.evaluate("document.scrollingElement.scrollHeight")
                                clip = {"x": 0, "y": 0, "width": width, "height": min(height, 2400)}
                            page.screenshot(path=str(OUT / name), full_page=full_page, clip=clip)
                            print(f"saved docs/screenshots/{name}")
                    page.context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
