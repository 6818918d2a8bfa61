"""Shared personas (district admin, town officer, school clerk, outsider, department reporter)
and the city install of two districts."""

import sqlite3
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django.db.backends.signals import connection_created
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import DepartmentFactory, OrgUnitFactory, SchoolFactory

# A busy machine (two database runs, browsers) slows input generation and single examples;
# the properties checked are the same, so slowness is no failure.
hypothesis_settings.register_profile(
    "suite", suppress_health_check=[HealthCheck.too_slow], deadline=None
)
hypothesis_settings.load_profile("suite")


@pytest.fixture
def sqlite_variable_limit(db):
    """SQLite's limit on parameters per statement lowered to 999 (its old default, which
    Django's own batches keep to) for one test: a list past it then takes a thousand rows,
    not 32,767. PostgreSQL: unchanged."""
    if connection.vendor != "sqlite":
        yield None
        return

    def lower(sender, connection, **kwargs):
        if connection.vendor == "sqlite":
            connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)

    connection.ensure_connection()
    before = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    lower(None, connection)
    # a connection the test opens anew (after closing its own) is held to it too
    connection_created.connect(lower)
    try:
        yield 999
    finally:
        connection_created.disconnect(lower)
        # on the connection open now: the one captured above may have been closed
        if connection.connection is not None and not connection.closed_in_transaction:
            connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


@pytest.fixture
def district(db):
    return OrgUnitFactory(code="D", name="示例区", kind=OrgUnitKind.DISTRICT, parent=None)


@pytest.fixture
def town_a(district):
    return OrgUnitFactory(code="TA", name="甲镇", kind=OrgUnitKind.TOWN, parent=district)


@pytest.fixture
def town_b(district):
    return OrgUnitFactory(code="TB", name="乙镇", kind=OrgUnitKind.TOWN, parent=district)


@pytest.fixture
def school_a(town_a):
    return SchoolFactory(
        org_unit__code="SA", org_unit__name="甲镇中心小学", org_unit__parent=town_a
    )


@pytest.fixture
def school_b(town_b):
    return SchoolFactory(
        org_unit__code="SB", org_unit__name="乙镇中心小学", org_unit__parent=town_b
    )


@pytest.fixture
def department(db):
    return DepartmentFactory(code="health", name="区卫生健康局", aliases=["区卫健局"])


def _persona(username, role, **where):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, role=role, **where)
    return user


@pytest.fixture
def district_admin(district):
    return _persona("district_admin", Role.DISTRICT_ADMIN, org_unit=district)


@pytest.fixture
def district_leader(district):
    return _persona("district_leader", Role.DISTRICT_LEADER, org_unit=district)


@pytest.fixture
def town_officer(town_a):
    return _persona("town_officer", Role.TOWN_OFFICER, org_unit=town_a)


@pytest.fixture
def school_clerk(school_a):
    return _persona("school_clerk", Role.SCHOOL_CLERK, org_unit=school_a.org_unit)


@pytest.fixture
def outsider(school_b):
    return _persona("outsider", Role.SCHOOL_CLERK, org_unit=school_b.org_unit)


@pytest.fixture
def department_reporter(department):
    return _persona("department_reporter", Role.DEPARTMENT_REPORTER, department=department)


@pytest.fixture
def city(db):
    """An install serving a city: 示例市 with districts A and B side by side, a town in each."""
    city = OrgUnitFactory(code="C", name="示例市", kind=OrgUnitKind.CITY, parent=None)
    for code in ("A", "B"):
        district = OrgUnitFactory(
            code=code, name=f"{code}区", kind=OrgUnitKind.DISTRICT, parent=city
        )
        OrgUnitFactory(code=f"{code}1", name=f"{code}镇", kind=OrgUnitKind.TOWN, parent=district)
    return city


@pytest.fixture
def district_a(city):
    """District A of the `city` install (A区)."""
    return city.children.get(code="A")


@pytest.fixture
def district_b(city):
    """District B of the `city` install (B区)."""
    return city.children.get(code="B")


EMPTY_RUN = "没有收集到任何测试：空的测试运行视为失败。"


def pytest_collection_finish(session):
    # An empty run must fail loudly, never pass as "nothing broke".
    if not session.items:
        raise pytest.UsageError(EMPTY_RUN)


def pytest_sessionfinish(session, exitstatus):
    _remove_test_files()
    # with test workers, the main process collects nothing itself: it says so here (the exit
    # status already fails)
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(EMPTY_RUN, red=True, bold=True)


def _remove_test_files() -> None:
    """This process's uploads folder (see the test settings)."""
    import shutil
    import tempfile

    folder = Path(django_settings.MEDIA_ROOT)
    if folder.parent == Path(tempfile.gettempdir()) and folder.name.startswith("ruraledu-test-"):
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- browser tests

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    import os

    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"浏览器测试需要 {CHROMIUM}（apt-get install chromium）")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        # While Playwright's event loop is registered in this thread, Django keeps the
        # thread's database connections apart (as for async code); close those now, or
        # they outlive the loop unreachable and the test database cannot be dropped.
        connections.close_all()
        browser.close()


class _InFlight:
    """Requests the live server is still answering. A page may have asked for more than its
    test waited for (a panel loading itself, a chart's data); on a slow machine the server
    thread went on answering while the database was emptied and the next test began."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs) -> None:
        if _test_thread():  # the test client's requests end before it returns
            return
        with self.changed:
            self.count += 1

    def finished(self, **kwargs) -> None:
        if _test_thread():
            return
        with self.changed:
            self.count = max(0, self.count - 1)
            self.changed.notify_all()

    def wait_idle(self, seconds: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count == 0, timeout=seconds)


def _test_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@pytest.fixture(scope="session")
def _live_requests():
    from django.core.signals import request_finished, request_started

    in_flight = _InFlight()
    request_started.connect(in_flight.started, weak=False)
    request_finished.connect(in_flight.finished, weak=False)
    yield in_flight
    request_started.disconnect(in_flight.started)
    request_finished.disconnect(in_flight.finished)


@pytest.fixture
def page(chromium, live_server, _live_requests):
    """A fresh browser page; `page.base` is the live server's address. When the test is over
    the page is closed and the server's last answers are awaited, before the database is
    emptied for the next test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    browser_page = context.new_page()
    browser_page.set_default_timeout(15000)
    browser_page.base = live_server.url
    yield browser_page
    context.close()
    if not _live_requests.wait_idle(60):
        pytest.fail("浏览器页面关闭后，测试服务器 60 秒内仍未答完请求")


def browser_login(page, username: str, password: str) -> None:
    page.goto(f"{page.base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def fits_phone(page) -> bool:
    """The page, once loaded, needs no sideways scrolling."""
    # a click that navigates may return before the new document is parsed (not a wait for a
    # script condition: the site's CSP refuses the evaluation that needs)
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


AXE = (
    Path(__file__).parent
    / "ruraledu"
    / "core"
    / "testing_assets"
    / "axe-core-4.14.1"
    / "axe.min.js"
)


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Accessibility problems on the current page (WCAG 2 A/AA rules of axe-core)."""
    # on the whole page, even right after a click that navigates (see fits_phone)
    page.wait_for_load_state("load")
    # evaluated through the browser's debugging channel: the site's CSP refuses injected <script> tags
    page.evaluate("() => {" + AXE.read_text(encoding="utf-8") + "\n}")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}) {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


# ---------------------------------------------------------------- the Zichuan plan


@pytest.fixture
def zichuan_plan(db):
    from django.conf import settings

    from ruraledu.plans.loader import load_plan
    from ruraledu.plans.models import Plan

    load_plan(Path(settings.BASE_DIR) / "plans" / "zichuan-2023.yaml")
    return Plan.objects.get(code="zichuan-2023")


def race(monkeypatch, module, name: str, first, second, when=None) -> dict:
    """`first` and `second` called at once, each in a thread on its own database connection:
    `first` pauses inside `module.name` (its writes made, its transaction open; only where
    `when(*args)` holds, if given) while `second` starts and runs into it, or has a second to
    finish without it. Returns {"first": …, "second": …}: what each returned, or the first
    message of the ValidationError it raised. For tests of `transaction=True` on PostgreSQL."""
    from django.core.exceptions import ValidationError
    from django.db import connection

    paused, go = threading.Event(), threading.Event()
    original = getattr(module, name)

    def pausing(*args, **kwargs):
        if threading.current_thread().name == "first" and (when is None or when(*args)):
            paused.set()
            go.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, pausing)
    outcomes = {}

    def run(call):
        try:
            outcomes[threading.current_thread().name] = call()
        except ValidationError as error:
            outcomes[threading.current_thread().name] = error.messages[0]
        finally:
            connection.close()

    ahead = threading.Thread(target=run, args=(first,), name="first")
    behind = threading.Thread(target=run, args=(second,), name="second")
    ahead.start()
    assert paused.wait(10), "the first call never reached the pause"
    behind.start()
    behind.join(1)  # without a lock it is done by now
    go.set()
    ahead.join(10)
    behind.join(10)
    return outcomes
