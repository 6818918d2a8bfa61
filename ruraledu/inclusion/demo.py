"""Demo data: the year's 残联 list (the demo's disabled pupils of compulsory-school age, plus a
few children with no enrolment), placement decisions for three of those (a deferral, a child
found unsuitable for school, and one taught at home by the clerk's school), six left
unplaced, and a term of 送教上门 visits (two each month) with the decided child behind
schedule. Fixed by a seed; dates from the school year's start. Idempotent: a second run
adds nothing (entries are keyed by child, decisions and visits are made once a year)."""

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import AuditEntry, audit_bulk, snapshot
from ruraledu.care.choices import ListKind
from ruraledu.care.imports import DISABILITY_GRADES, DISABILITY_KINDS, school_age_window
from ruraledu.care.models import ListEntry
from ruraledu.core import crypto
from ruraledu.core.idnumbers import make_resident_id
from ruraledu.core.schoolyear import current_school_year, school_year_bounds
from ruraledu.demo.pdf import DEMO_PDF as BLANK_PDF
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.students.models import Enrolment, StudentPerson

from . import services
from .choices import DecisionKind
from .models import HomeVisit, PlacementDecision
from .reconcile import home_children

SEED = 6
REGION = "370302"
SURNAMES = "王李张刘陈杨赵黄周吴孙马朱胡郭何高林"
GIVEN = ["子涵", "欣怡", "浩然", "梓轩", "雨桐", "一诺", "宇航", "思彤", "俊熙", "可馨"]
TEACHERS = ["李老师", "王老师", "张老师", "刘老师", "陈老师", "赵老师"]
CONTENTS = [
    "生活自理训练：穿衣、洗漱",
    "识字与语言训练",
    "数的认识与简单计算",
    "康复训练：精细动作",
    "绘本阅读与交流",
    "家长康复指导",
]
# (days after the year's start the child is decided, decision or None for unplaced)
NEW_CHILDREN = [
    ("deferred", 20),
    ("unsuitable", 25),
    ("home", 10),
    *[(None, 0)] * 6,
]


# a plain one-page PDF the evidence checks accept: stands for the committee's scanned opinion
EVIDENCE_PDF = BLANK_PDF


def inclusion_demo_setup(*, actor, clerk_school) -> int:
    """Create the year's demo list, decisions and visits; returns the visits created."""
    year = current_school_year()
    rng = random.Random(SEED)
    kunlun = clerk_school.parent
    _list_pupils(rng, year, actor)
    if PlacementDecision.objects.filter(year=year).exists():
        return 0
    entries = _new_children(rng, year, kunlun, actor)
    start = school_year_bounds(year)[0]
    school = School.objects.get(pk=clerk_school.pk)
    for entry, (kind, days) in zip(entries, NEW_CHILDREN, strict=True):
        if kind is None:
            continue
        services.decision_record(
            actor=actor,
            year=year,
            entry_id=entry.pk,
            kind=kind,
            decided_on=start + dt.timedelta(days=days),
            school=school if kind == DecisionKind.HOME else None,
            reason="" if kind == DecisionKind.HOME else "重度残疾，经区残疾人教育专家委员会评估",
            evidence="" if kind == DecisionKind.HOME else f"川残教评〔{year}〕{days}号",
            evidence_file=None if kind == DecisionKind.HOME else (EVIDENCE_PDF, "评估意见.pdf"),
        )
    return _visits(rng, year, actor, behind=entries[2].id_index)


def _list_pupils(rng, year: int, actor) -> None:
    """The demo's disabled pupils of compulsory-school age on the year's 残联 list."""
    first, last = school_age_window(year)
    have = set(
        ListEntry.objects.filter(year=year, kind=ListKind.DISABLED).values_list(
            "id_index", flat=True
        )
    )
    pupils = (
        Enrolment.objects.filter(
            year=year,
            disability=True,
            person__birth_date__range=(first, last),
            person__village__isnull=False,
        )
        .select_related("person__village")
        .order_by("pk")
    )
    new = []
    for enrolment in pupils:
        person = enrolment.person
        if person.id_index in have:
            continue
        new.append(
            ListEntry(
                name=person.name,
                id_cipher=person.id_cipher,
                id_index=person.id_index,
                id_hint=person.id_hint,
                sex=person.sex,
                birth_date=person.birth_date,
                kind=ListKind.DISABLED,
                year=year,
                village=person.village,
                town_id=person.village.parent_id,
                detail=rng.choice(DISABILITY_KINDS)[0] + rng.choice(DISABILITY_GRADES)[0],
            )
        )
    _create(new, actor, "示例数据：区残联残疾儿童名单")


def _new_children(rng, year: int, kunlun: OrgUnit, actor) -> list[ListEntry]:
    """Nine children on the list with no enrolment: the first three in 昆仑镇 get decisions,
    of the six left unplaced two are in 昆仑镇 and four in the towns after it."""
    towns = list(
        OrgUnit.objects.filter(parent=kunlun.parent, kind__in=(OrgUnitKind.TOWN,))
        .exclude(pk=kunlun.pk)
        .order_by("code")[:2]
    )
    places = [kunlun] * 5 + [towns[0]] * 2 + [towns[-1]] * 2
    first, last = school_age_window(year)
    entries, sequence = [], 900
    for town in places:
        village = OrgUnit.objects.filter(parent=town, kind=OrgUnitKind.VILLAGE).order_by("code")[0]
        born = first + dt.timedelta(days=rng.randrange((last - first).days))
        while True:
            sequence += 1
            number = make_resident_id(REGION, born, sequence)
            index = crypto.blind_index(number)
            if not StudentPerson.objects.filter(id_index=index).exists():
                break
        entry = ListEntry.objects.filter(year=year, kind=ListKind.DISABLED, id_index=index).first()
        if entry is None:
            entry = ListEntry(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                sex="1" if int(number[16]) % 2 else "2",
                birth_date=born,
                kind=ListKind.DISABLED,
                year=year,
                village=village,
                town=town,
                detail=rng.choice(DISABILITY_KINDS)[0] + rng.choice(DISABILITY_GRADES)[0],
            )
            entry.set_id_number(number)
            _create([entry], actor, "示例数据：区残联残疾儿童名单（未入学儿童）")
        entries.append(entry)
    return entries


def _visits(rng, year: int, actor, behind: str) -> int:
    """Two visits in each term month so far for every 送教上门 child; one a month for
    `behind`."""
    today = min(timezone.localdate(), school_year_bounds(year)[1])
    new = []
    for row in home_children(year, today):
        for label, _, _ in row.months:
            month_year, month = (int(p) for p in label.rstrip("月").split("年"))
            days = (8,) if row.id_index == behind else (8, 22)
            for day in days:
                on = dt.date(month_year, month, day)
                if not row.since <= on <= today:
                    continue
                new.append(
                    HomeVisit(
                        year=year,
                        id_index=row.id_index,
                        school_id=row.school_id,
                        unit_id=row.school_id,
                        on=on,
                        teachers="、".join(rng.sample(TEACHERS, 2)),
                        content=rng.choice(CONTENTS),
                        hours=Decimal(rng.choice(("1.5", "2", "2.5"))),
                        recorded_by=actor,
                    )
                )
    _create(new, actor, "示例数据：送教上门记录")
    return len(new)


# what the audit keeps of a list entry: never the ID number's index or hint
ENTRY_FIELDS = ("name", "sex", "birth_date", "kind", "year", "village", "town", "detail")


def _create(rows: list, actor, summary: str) -> None:
    if not rows:
        return
    fields = ENTRY_FIELDS if isinstance(rows[0], ListEntry) else None
    model = type(rows[0])
    created = model.objects.bulk_create(rows)
    if created[0].pk is None:  # backends that return no ids: read them back
        created = list(model.objects.order_by("-pk")[: len(rows)])
    audit_bulk(
        actor=actor,
        entries=(
            AuditEntry.of(row, AuditAction.CREATE, after=snapshot(row, fields)) for row in created
        ),
        summary=summary,
    )


def inclusion_demo_wipe(schools) -> None:
    """Remove the decisions and visits of demo schools, and the list entries the demo made,
    before the generator replaces the schools and villages they hold on to."""
    villages = OrgUnit.objects.filter(kind=OrgUnitKind.VILLAGE, name__contains="示例")
    entries = ListEntry.objects.filter(kind=ListKind.DISABLED, village__in=villages)
    HomeVisit.objects.filter(school__in=schools).delete()
    PlacementDecision.objects.filter(Q(school__in=schools) | Q(entry__in=entries)).delete()
    entries.delete()
