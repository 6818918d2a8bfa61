"""四查三比对 at district scale (not a test; prints its figures).

    .venv/bin/python bench/bench_cross_check.py [--postgres URL]
    .venv/bin/python bench/bench_cross_check.py --postgres URL --scale city [--districts 10]

The demo district's rosters of two school years (≈ 69,000 enrolments a year), a household
register of ≈ 80,000 school-age children (the enrolled pupils of grades 1–9 of the later year,
last year's pupils not enrolled now — 0.5% of grades 2–8 are taken off the later roster as
dropouts — and children never enrolled up to the total) and the
priority lists drawn from it (残疾 1%, 脱贫/监测 6%, 孤儿 0.3%, 事实无人抚养 0.3%, 困境 1.5%).
Timed: the cross-check with an empty store of findings, then again with nothing changed.
Goal on SQLite: under 5 s. At city scale (10 districts, ≈ 800,000 registered children, the
register and lists drawn the same way per district) on PostgreSQL: under 30 s.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on  # noqa: E402

YEAR = 2025
REGISTER = 80_000
SHARES = {
    "disabled": 0.01,
    "poverty": 0.06,
    "orphan": 0.003,
    "unattended": 0.003,
    "hardship": 0.015,
}


def build_lists(rng: random.Random, register: int = REGISTER) -> dict[str, int]:
    import datetime as dt

    from ruraledu.care.models import ListEntry
    from ruraledu.core import crypto
    from ruraledu.core.bulk import insert_rows
    from ruraledu.core.idnumbers import make_resident_id
    from ruraledu.orgunits.models import OrgUnit
    from ruraledu.students.models import Enrolment

    # some pupils of last year left without a transfer: the suspected dropouts
    pupils = list(
        Enrolment.objects.filter(year=YEAR, grade__range=(2, 8)).values_list("pk", flat=True)
    )
    gone = rng.sample(pupils, len(pupils) // 200)
    for start in range(0, len(gone), 900):
        Enrolment.objects.filter(pk__in=gone[start : start + 900]).delete()
    villages = list(OrgUnit.objects.filter(kind="village").values_list("pk", "parent_id"))
    town_of = dict(villages)
    people = {}
    for year, grade_top in ((YEAR, 9), (YEAR - 1, 8)):
        rows = Enrolment.objects.filter(year=year, grade__lte=grade_top).values_list(
            "person_id",
            "person__id_index",
            "person__id_cipher",
            "person__id_hint",
            "person__name",
            "person__sex",
            "person__birth_date",
            "person__village_id",
        )
        for pk, *values in rows:
            people.setdefault(pk, values)
    entries = []
    for key, cipher, hint, name, sex, birth, village in people.values():
        village = village or rng.choice(villages)[0]
        entries.append((key, bytes(cipher), hint, name, sex, birth, village, town_of[village]))
    sequence = 0
    taken = {e[0] for e in entries}
    while len(entries) < register:
        sequence += 1
        birth = dt.date(2011, 1, 1) + dt.timedelta(days=rng.randrange(3000))
        number = make_resident_id("370399", birth, sequence)
        if crypto.blind_index(number) in taken:
            continue
        taken.add(crypto.blind_index(number))
        village = rng.choice(villages)[0]
        entries.append(
            (
                crypto.blind_index(number),
                crypto.encrypt(number),
                crypto.hint(number),
                "示例儿童",
                "1",
                birth,
                village,
                town_of[village],
            )
        )
    fields = ("id_index", "id_cipher", "id_hint", "name", "sex", "birth_date", "village", "town")
    counts = {"household": len(entries)}
    insert_rows(
        ListEntry,
        (*fields, "kind", "year", "detail"),
        (e + ("household", YEAR, "") for e in entries),
    )
    for kind, share in SHARES.items():
        chosen = rng.sample(entries, int(len(entries) * share))
        insert_rows(
            ListEntry, (*fields, "kind", "year", "detail"), (e + (kind, YEAR, "") for e in chosen)
        )
        counts[kind] = len(chosen)
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--scale", choices=("district", "city"), default="district")
    parser.add_argument("--districts", type=int, default=None, help="city scale: default 10")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the data of an earlier run (findings emptied)"
    )
    args = parser.parse_args()
    districts = 1 if args.scale == "district" else (args.districts or 10)
    workdir = tempfile.mkdtemp(prefix="bench-cross-check-")
    # a reused database needs the key it was written with
    os.environ.setdefault("DATA_KEY_FILE", os.environ.get("BENCH_KEY_FILE", f"{workdir}/data.key"))
    django_on(args.postgres)
    from django.db import connection, transaction
    from django.db.models import Count

    from ruraledu.care.crosscheck import cross_check
    from ruraledu.care.models import CrossCheckRun, Finding, ListEntry
    from ruraledu.demo.generator import runner
    from ruraledu.students.models import Enrolment

    started = time.perf_counter()
    if args.reuse and ListEntry.objects.filter(year=YEAR).exists():
        Finding.objects.all().delete()
        CrossCheckRun.objects.all().delete()
        rows = ListEntry.objects.filter(year=YEAR).values("kind").annotate(n=Count("pk"))
        counts = {row["kind"]: row["n"] for row in rows}
        print("reusing the data of an earlier run")
    else:
        runner.orgunits_load(runner.ORG_FILE)
        runner.demo_generate(
            scale=args.scale,
            years=[YEAR - 1, YEAR],
            seed=1,
            districts=districts if args.scale == "city" else None,
            progress=lambda *a: None,
        )
        counts = build_lists(random.Random(1), REGISTER * districts)
        print(f"generated in {time.perf_counter() - started:.1f} s (not part of the figures)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    enrolments = Enrolment.objects.filter(year__in=(YEAR - 1, YEAR)).count()
    print(
        f"database: {connection.vendor}; scale: {args.scale} ({districts} districts); enrolments {YEAR - 1}+{YEAR}: {enrolments:,}; lists: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    figures = []
    for label in ("empty store", "nothing changed"):
        run = CrossCheckRun.objects.create(year=YEAR)
        started = time.perf_counter()
        with transaction.atomic():
            stats = cross_check(year=YEAR, run=run)
        seconds = time.perf_counter() - started
        figures.append(seconds)
        print(
            f"cross-check, {label}: {seconds:.2f} s (created {stats.created:,}, updated "
            f"{stats.updated:,}, unchanged {stats.unchanged:,}); open findings {stats.counts}"
        )
    if connection.vendor == "sqlite" and args.scale == "district":
        print(f"goal: district cross-check < 5 s -> {'met' if max(figures) < 5 else 'NOT met'}")
    if connection.vendor == "postgresql" and args.scale == "city":
        print(f"goal: city cross-check < 30 s -> {'met' if max(figures) < 30 else 'NOT met'}")


if __name__ == "__main__":
    main()
