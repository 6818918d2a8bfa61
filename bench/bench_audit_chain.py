"""The audit hash chain's cost: writing N audit rows with `audit_bulk` (chained) against the
same rows inserted without the chain, hashing per row (the first formula over the whole row
against today's salted payload hash plus header hash), `integrity_check` over the whole trail,
and redacting a tenth of the rows (then the walk again).

    .venv/bin/python bench/bench_audit_chain.py [--rows 100000]
"""

import argparse
import secrets
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
    hashed = [chain.digest_v1(chain.GENESIS, row) for row in plain_rows]
    hashing_v1 = time.perf_counter() - start
    start = time.perf_counter()
    for row in plain_rows:
        row.payload_salt = secrets.token_hex(16)
        row.payload_hash = chain.payload_digest(row)
        hashed.append(chain.digest(chain.GENESIS, row))
    hashing = time.perf_counter() - start
    assert len(hashed) == 2 * args.rows

    # the unchained copies break the chain: verify the chained rows only
    start = time.perf_counter()
    verdict = chain.verify(row for row in chain.rows_in_order(AuditEvent) if row.pk <= args.rows)
    verifying = time.perf_counter() - start
    assert verdict.broken is None and verdict.rows == args.rows

    # a tenth of the chained rows redacted (one redaction row), then the walk over them again
    from django.contrib.contenttypes.models import ContentType

    from ruraledu.audit.redaction import audit_redact

    tenth = AuditEvent.objects.filter(pk__lte=args.rows, pk__gt=args.rows - args.rows // 10)
    start = time.perf_counter()
    with transaction.atomic():
        redaction = audit_redact(
            events=tenth,
            actor=None,
            instance=ContentType.objects.first(),
            reason="bench",
            summary="测速",
        )
    redacting = time.perf_counter() - start
    keep = {redaction.pk}
    start = time.perf_counter()
    verdict = chain.verify(
        row for row in chain.rows_in_order(AuditEvent) if row.pk <= args.rows or row.pk in keep
    )
    reverifying = time.perf_counter() - start
    assert verdict.broken is None and verdict.redacted == args.rows // 10

    print(f"audit rows: {args.rows:,}")
    print(f"  audit_bulk with the chain: {chained:.2f} s = {args.rows / chained:,.0f} rows/s")
    print(f"  plain bulk_create, no chain: {plain:.2f} s = {args.rows / plain:,.0f} rows/s")
    print(
        f"  hashing alone, first formula (whole row): {hashing_v1 / args.rows * 1e6:.1f} µs per row"
    )
    print(
        f"  hashing alone, salt + payload hash + header hash: {hashing / args.rows * 1e6:.1f} µs"
        " per row"
    )
    print(f"  integrity_check walk: {verifying:.2f} s = {args.rows / verifying:,.0f} rows/s")
    print(
        f"  redacting {args.rows // 10:,} rows: {redacting:.2f} s;"
        f" walk again: {args.rows / reverifying:,.0f} rows/s"
    )


if __name__ == "__main__":
    main()
