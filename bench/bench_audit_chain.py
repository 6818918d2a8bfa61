"""The audit hash chain's cost: writing N audit rows with `audit_bulk` (chained) against the
same rows inserted without the chain, then `integrity_check` over the whole trail.

    .venv/bin/python bench/bench_audit_chain.py [--rows 100000]
"""

import argparse
import time

from _setup import django_on


def entries(rows: int):
    from ruraledu.audit.choices import AuditAction
    from ruraledu.audit.services import AuditEntry
    from ruraledu.orgunits.models import OrgUnit

    return [
        AuditEntry(
            model=OrgUnit,
            object_id=i,
            action=AuditAction.UPDATE,
            object_repr=f"学生 {i}",
            before={"grade": 3, "class_name": "1班", "distance_km": "2.5"},
            after={"grade": 4, "class_name": "2班", "distance_km": "3.1"},
        )
        for i in range(rows)
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    django_on()
    from django.db import models, transaction

    from ruraledu.audit import chain
    from ruraledu.audit.models import AuditEvent
    from ruraledu.audit.services import audit_bulk

    todo = entries(args.rows)
    start = time.perf_counter()
    with transaction.atomic():
        audit_bulk(actor=None, entries=todo, summary="测速")
    chained = time.perf_counter() - start

    # the same rows through the plain bulk_create (no chain), for the difference
    plain_rows = list(AuditEvent.objects.order_by("pk")[: args.rows])
    for row in plain_rows:
        row.pk = None
        row._state.adding = True
    start = time.perf_counter()
    with transaction.atomic():
        for i in range(0, len(plain_rows), 2000):
            models.QuerySet.bulk_create(AuditEvent.objects.all(), plain_rows[i : i + 2000])
    plain = time.perf_counter() - start

    start = time.perf_counter()
    hashed = [chain.digest(chain.GENESIS, row) for row in plain_rows]
    hashing = time.perf_counter() - start
    assert len(hashed) == args.rows

    # the unchained copies break the chain: verify the chained rows only
    start = time.perf_counter()
    verdict = chain.verify(row for row in chain.rows_in_order(AuditEvent) if row.pk <= args.rows)
    verifying = time.perf_counter() - start
    assert verdict.broken is None and verdict.rows == args.rows

    print(f"audit rows: {args.rows:,}")
    print(f"  audit_bulk with the chain: {chained:.2f} s = {args.rows / chained:,.0f} rows/s")
    print(f"  plain bulk_create, no chain: {plain:.2f} s = {args.rows / plain:,.0f} rows/s")
    print(f"  hashing alone: {hashing:.2f} s = {hashing / args.rows * 1e6:.1f} µs per row")
    print(f"  integrity_check walk: {verifying:.2f} s = {args.rows / verifying:,.0f} rows/s")


if __name__ == "__main__":
    main()
