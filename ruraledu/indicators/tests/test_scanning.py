"""During a recompute on PostgreSQL a year's scans run side by side, each on a connection of
its own, while the indicators whose scans are in are computed; they give what they give one
after another."""

import threading
import time

import pytest
from django.db import connection, transaction

from ruraledu.indicators.engine import REGISTRY, Tree
from ruraledu.indicators.scanning import Scans
from ruraledu.indicators.services import compute_year

from .test_incremental import build

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="other connections see committed data only there"
)


def _backend(cursor_sql="SELECT pg_backend_pid(), current_setting('work_mem')"):
    with connection.cursor() as cursor:
        cursor.execute(cursor_sql)
        return list(cursor.fetchone())


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_scans_run_at_once_on_connections_of_their_own_and_close_them(settings):
    settings.RECOMPUTE_SCAN_CONNECTIONS = 3
    together = threading.Barrier(3, timeout=20)  # one after another, this would time out

    def job():
        together.wait()
        return _backend()

    scans = Scans({"a": job, "b": job, "c": job}, side_by_side=True)
    assert scans.get("b")[0] != _backend()[0]
    results = scans.finish()
    assert sorted(results) == ["a", "b", "c"]
    pids = {pid for pid, _ in results.values()}
    assert len(pids) == 3
    assert {memory for _, memory in results.values()} == {"256MB"}
    assert _backend()[1] != "256MB"  # set back on this connection
    helpers = pids - {_backend()[0]}
    for _ in range(50):  # a closed connection's server process leaves soon after
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [sorted(helpers)]
            )
            if cursor.fetchone()[0] == 0:
                break
        time.sleep(0.1)
    else:
        pytest.fail("the helper threads left their connections open")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_first_error_is_raised_and_stops_the_jobs_not_started(settings):
    settings.RECOMPUTE_SCAN_CONNECTIONS = 2
    started = []

    def failing():
        started.append("bad")
        raise ValueError("扫描失败")

    def slow():
        started.append("slow")
        time.sleep(0.5)
        return []

    def later():
        started.append("later")
        return []

    scans = Scans({"slow": slow, "bad": failing, "later": later}, side_by_side=True)
    with pytest.raises(ValueError, match="扫描失败"):
        scans.finish()
    assert "later" not in started
    assert not scans.running()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_error_here_stops_the_scans_still_running(settings):
    """Nobody reads the scans once this thread failed: closing cancels the running ones
    rather than waiting for them."""
    settings.RECOMPUTE_SCAN_CONNECTIONS = 2
    began = threading.Event()

    def long_scan():
        began.set()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(60)")
        return []

    scans = Scans({"long": long_scan, "later": lambda: []}, side_by_side=True)
    assert began.wait(20)
    for _ in range(200):  # until the server runs it (a cancel sent before would miss it)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' "
                "AND state = 'active' AND datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                break
        time.sleep(0.05)
    else:
        pytest.fail("the long scan never started on the server")
    started = time.perf_counter()
    with pytest.raises(RuntimeError, match="指标计算失败"):
        try:
            raise RuntimeError("指标计算失败")  # an indicator, while the long scan runs
        finally:
            scans.close()
    assert time.perf_counter() - started < 10
    assert not scans.running()
    assert "long" not in scans.results


@pytest.mark.django_db
def test_inside_a_transaction_the_scans_run_here_in_order(settings):
    settings.RECOMPUTE_SCAN_CONNECTIONS = 4
    order = []

    def job(key):
        def run():
            order.append(key)
            return threading.get_ident()

        return run

    with transaction.atomic():
        scans = Scans({k: job(k) for k in "xyz"}, side_by_side=True)
        assert order == ["x", "y", "z"]  # all made already
    assert set(scans.finish().values()) == {threading.get_ident()}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_key_no_job_gives_is_a_key_error_not_a_wait(settings):
    settings.RECOMPUTE_SCAN_CONNECTIONS = 1
    scans = Scans({"a": list}, side_by_side=True)
    with pytest.raises(KeyError):
        scans.get("b")
    assert scans.finish() == {"a": []}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_scans_side_by_side_compute_the_same_values_as_one_after_another(settings, monkeypatch):
    from ruraledu.indicators import engine

    build()
    indicators = list(REGISTRY.values())
    threads = set()
    real = engine.scan_rows

    def scan_rows(*args, **kwargs):
        threads.add(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "scan_rows", scan_rows)
    settings.RECOMPUTE_SCAN_CONNECTIONS = 3
    values, reads = {}, {}
    for side_by_side in (False, True):
        reads[side_by_side] = {}
        values[side_by_side] = {
            year: compute_year(
                year, indicators, Tree(), reads=reads[side_by_side], side_by_side=side_by_side
            )[0]
            for year in (2023, 2024)
        }
    assert values[False] == values[True]
    assert any(value is not None for value, *_ in values[True][2024].values())
    assert reads[False] == reads[True]  # no scan is taken for an indicator's own read
    assert threads - {threading.get_ident()}  # the second time on helper threads


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_recomputes_side_by_side_store_what_they_store_one_after_another(settings):
    from ruraledu.indicators.changes import changing
    from ruraledu.indicators.services import recompute, recompute_changes
    from ruraledu.students.models import Enrolment

    from .test_incremental import stored

    schools = build()
    settings.RECOMPUTE_SCAN_CONNECTIONS = 2
    recompute()
    with transaction.atomic(), changing(Enrolment, year=2024, units=[schools[0].pk]):
        assert Enrolment.objects.filter(year=2024, school=schools[0], boarding=False).update(
            boarding=True, left_behind=True
        )
    assert recompute_changes().changed
    after = stored()
    settings.RECOMPUTE_SCAN_CONNECTIONS = 0
    assert recompute().changed == 0
    assert stored() == after


@pytest.mark.django_db
def test_scans_start_in_the_order_the_indicators_first_read_them():
    from ruraledu.indicators.engine import YearContext

    # side by side the indicators are computed in their order: the helpers scan for the
    # next of them first, not for the one computed last
    def first_reads(indicators):
        keys = []
        for indicator in indicators:
            keys += [s.key for s in indicator.requires]
            keys += [m.source.key for m in indicator.measures().values()]
            keys += [q.key for q in indicator.queries]
        return list(dict.fromkeys(keys))

    indicators = list(REGISTRY.values())
    wanted = first_reads(indicators)
    assert len(wanted) > 10
    assert list(YearContext(2024, indicators, Tree()).scans.results) == wanted
    backwards = indicators[::-1]
    assert list(YearContext(2024, backwards, Tree()).scans.results) == first_reads(backwards)


@postgres_only
@pytest.mark.django_db
def test_scans_compile_with_jit_where_the_pages_do_not():
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")  # as the shipped server configuration has it
    seen = Scans({"a": lambda: _backend("SELECT current_setting('jit')")}).finish()
    assert seen == {"a": ["on"]}
    assert _backend("SELECT current_setting('jit')") == ["off"]


@postgres_only
@pytest.mark.django_db
def test_scans_run_with_the_parallel_workers_set_and_give_the_servers_back(settings):
    settings.RECOMPUTE_SCAN_WORKERS = 1
    workers = "SELECT current_setting('max_parallel_workers_per_gather')"
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 3")
    seen = Scans({"a": lambda: _backend(workers)}).finish()
    assert seen == {"a": ["1"]}
    assert _backend(workers) == ["3"]
