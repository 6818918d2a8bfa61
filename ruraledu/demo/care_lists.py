"""Demo partner lists and a cross-check, so the working lists have children to show: the
household register of two towns (昆仑镇, 双杨镇: their pupils, last year's pupils and a couple
dozen children never enrolled), and the priority lists drawn from the roster's flags (with a
few children the roster does not flag, so the notes have something to say). ID numbers are
copied from the roster as ciphertext and blind index; the never-enrolled children get demo
numbers. Deterministic by seed; once a school year (a year with lists is left alone)."""

import datetime as dt
import random

from django.db.models import Q

from ruraledu.care.choices import ClearReason, FindingKind, ListKind
from ruraledu.care.imports import school_age_window
from ruraledu.care.jobs import cross_check_job_run
from ruraledu.care.models import CrossCheckRun, Finding, ListEntry
from ruraledu.care.services import finding_clear
from ruraledu.core import crypto
from ruraledu.core.bulk import insert_rows
from ruraledu.core.idnumbers import make_resident_id
from ruraledu.core.schoolyear import current_school_year
from ruraledu.demo.generator.district import ZICHUAN
from ruraledu.orgunits.models import OrgUnit
from ruraledu.students.models import Enrolment

SEED = 39
TOWNS = ("昆仑镇", "双杨镇")
NEVER_ENROLLED = 24
# list -> (roster flag, share of the flagged pupils on it, pupils the roster does not flag)
PRIORITY = {
    ListKind.DISABLED: (Q(disability=True), 0.9, 3),
    ListKind.POVERTY: (~Q(family_status=""), 0.8, 5),
    ListKind.ORPHAN: (Q(orphan=True), 1.0, 1),
    ListKind.UNATTENDED: (Q(unattended=True), 1.0, 2),
    ListKind.HARDSHIP: (Q(hardship=True), 0.7, 3),
}
FIELDS = ("id_index", "id_cipher", "id_hint", "name", "sex", "birth_date", "village", "town")
GIVEN = "子涵浩然梓萱宇轩欣怡俊杰雨桐博文"
SURNAMES = "王李张刘陈杨赵黄周吴孙马"


def _row(person, village_town: dict, rng: random.Random, villages: list):
    village = person["person__village_id"]
    if village not in village_town:
        village = rng.choice(villages)
    return (
        person["person__id_index"],
        bytes(person["person__id_cipher"]),
        person["person__id_hint"],
        person["person__name"],
        person["person__sex"],
        person["person__birth_date"],
        village,
        village_town[village],
    )


PERSON = (
    "person_id",
    "person__id_index",
    "person__id_cipher",
    "person__id_hint",
    "person__name",
    "person__sex",
    "person__birth_date",
    "person__village_id",
)


def lists_demo_setup(*, actor) -> int:
    """Write the year's demo lists and run the cross-check once; returns the entries written."""
    year = current_school_year()
    if ListEntry.objects.filter(year=year).exists():
        return 0
    rng = random.Random(f"{SEED}/{year}")
    towns = list(OrgUnit.objects.filter(parent__code=ZICHUAN, name__in=TOWNS))
    village_town = dict(
        OrgUnit.objects.filter(parent__in=towns, kind="village")
        .order_by("code")
        .values_list("pk", "parent_id")
    )
    if not village_town:
        return 0
    villages = sorted(village_town)
    town_paths = Q()
    for town in towns:
        town_paths |= Q(school__org_unit__path__startswith=town.path)
    first, last = school_age_window(year)
    pupils = Enrolment.objects.filter(
        town_paths, grade__lte=9, person__birth_date__range=(first, last)
    ).order_by("person_id")
    household: dict[str, tuple] = {}
    for person in pupils.filter(year__in=(year - 1, year)).values(*PERSON):
        row = _row(person, village_town, rng, villages)
        household.setdefault(row[0], row)
    for sequence in range(1, NEVER_ENROLLED + 1):
        birth = dt.date(year - 14, 9, 1) + dt.timedelta(days=rng.randrange(8 * 365))
        number = make_resident_id("370302", birth, 700 + sequence)
        village = rng.choice(villages)
        household.setdefault(
            crypto.blind_index(number),
            (
                crypto.blind_index(number),
                crypto.encrypt(number),
                crypto.hint(number),
                rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                rng.choice("12"),
                birth,
                village,
                village_town[village],
            ),
        )
    written = insert_rows(
        ListEntry,
        (*FIELDS, "kind", "year", "detail"),
        (row + (ListKind.HOUSEHOLD, year, "") for row in household.values()),
    )
    this_year = pupils.filter(year=year)
    plain = list(this_year.values(*PERSON)[:3000])
    for kind, (flag, share, unflagged) in PRIORITY.items():
        flagged = list(this_year.filter(flag).values(*PERSON))
        chosen = rng.sample(flagged, int(len(flagged) * share))
        chosen += rng.sample(plain, unflagged)
        rows = {r[0]: r for r in (_row(p, village_town, rng, villages) for p in chosen)}
        written += insert_rows(
            ListEntry,
            (*FIELDS, "kind", "year", "detail"),
            (row + (kind, year, "") for row in rows.values()),
        )
    run = CrossCheckRun.objects.create(year=year, requested_by=actor)
    cross_check_job_run(run_id=run.pk)
    _clear_a_few(actor, year)
    return written


def _clear_a_few(actor, year: int) -> None:
    """Two children the town found elsewhere: cleared with the evidence, kept on the list."""
    found = list(
        # not yet cleared: a regenerated demo keeps the town's findings of earlier runs
        Finding.objects.filter(
            year=year, kind=FindingKind.NOT_ENROLLED, case=None, clear_reason=""
        ).order_by("id_index")[:2]
    )
    evidence = [
        (ClearReason.MOVED_AWAY, "随父母迁往青岛市黄岛区，已电话核实迁入地派出所户籍登记。"),
        (ClearReason.STUDYING_ELSEWHERE, "在淄博市张店区某小学就读，已核实学籍系统在读记录。"),
    ]
    for finding, (reason, text) in zip(found, evidence, strict=False):
        finding_clear(finding=finding, actor=actor, reason=reason, evidence=text)
