"""Demo care work for the current school year: mentors for most children on the care list, a
term of contacts with about one child in five not yet contacted, and a few 关爱室 activities
per school. Chosen by a fixed seed over the roster in key order; dates count back from today.
Written in bulk with one audit row per record. Runs once: a year with contacts keeps them."""

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import AuditEntry, audit_bulk, snapshot
from ruraledu.core.schoolyear import current_school_year
from ruraledu.students.models import Enrolment
from ruraledu.workforce.models import Post

from .choices import ContactKind, cared_for
from .models import CareContact, RoomActivity
from .terms import as_of, term_start

SEED = 14
MENTORED = 0.85
CONTACTED = 0.8
KINDS = [ContactKind.TALK, ContactKind.HOME_VISIT, ContactKind.PHONE, ContactKind.VIDEO]
KIND_WEIGHTS = [4, 2, 3, 1]
CONTENT = {
    ContactKind.TALK: ["谈学习和生活情况，情绪稳定", "聊最近的烦心事，鼓励多和同学交流"],
    ContactKind.HOME_VISIT: ["到家中了解祖辈照料情况，居住安全", "家访看作业和作息，叮嘱防溺水"],
    ContactKind.PHONE: ["与在外务工的父母通话，反馈在校表现", "电话告知监护人近期学习情况"],
    ContactKind.VIDEO: ["安排孩子与父母视频通话二十分钟", "视频联系父亲，约定每周通话一次"],
}
FOLLOW_UPS = ["", "", "下月再家访", "期中后电话回访", "关注作业完成情况"]
ACTIVITIES = [
    "亲情视频通话",
    "生日会",
    "心理健康小课堂",
    "周末作业辅导",
    "手工制作与阅读",
    "安全教育（防溺水、防欺凌）",
]


def _days(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


@transaction.atomic
def leftbehind_demo_setup(*, actor) -> int:
    """Mentors, contacts and activities for the current year, once; returns contacts made."""
    year = current_school_year()
    if CareContact.objects.filter(year=year).exists():
        return 0
    rng = random.Random(SEED)
    # the term the year's list describes: today's, or the year's last once it has ended
    today = as_of(year, timezone.localdate())
    start = term_start(today)
    children = list(
        Enrolment.objects.filter(cared_for(), year=year)
        .select_related("person", "school__org_unit")
        .order_by("pk")
    )
    staff = defaultdict(list)
    for school_id, person_id, name in (
        Post.objects.filter(year=year)
        .order_by("school_id", "person_id")
        .values_list("school_id", "person_id", "person__name")
    ):
        staff[school_id].append((person_id, name))
    mentored, entries, contacts = [], [], []
    for child in children:
        teachers = staff.get(child.school_id)
        if child.mentor_id is None and teachers and rng.random() < MENTORED:
            child.mentor_id = rng.choice(teachers)[0]
            mentored.append(child)
            entries.append(
                AuditEntry.of(
                    child, AuditAction.UPDATE, {"mentor": None}, {"mentor": child.mentor_id}
                )
            )
        if rng.random() >= CONTACTED:
            continue
        names = dict(teachers or [])
        who = names.get(child.mentor_id) or "班主任"
        for _ in range(rng.randint(1, 3)):
            kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
            contacts.append(
                CareContact(
                    person_id=child.person_id,
                    school_id=child.school_id,
                    unit_id=child.school.org_unit_id,
                    year=year,
                    on=_days(rng, start, today),
                    kind=kind,
                    who=who,
                    content=rng.choice(CONTENT[kind]),
                    follow_up=rng.choice(FOLLOW_UPS),
                    recorded_by=actor,
                )
            )
    Enrolment.objects.bulk_update(mentored, ["mentor"], batch_size=2000)
    CareContact.objects.bulk_create(contacts, batch_size=2000)
    entries += [AuditEntry.of(c, AuditAction.CREATE) for c in contacts]
    activities = _activities(rng, children, year, start, today, actor)
    entries += [AuditEntry.of(a, AuditAction.CREATE, after=snapshot(a)) for a in activities]
    audit_bulk(actor=actor, entries=entries, summary="示例：留守与困境儿童关爱")
    return len(contacts)


def _activities(rng, children, year, start, today, actor) -> list[RoomActivity]:
    """Two to four activities this term at each school with five or more children on the list."""
    by_school = defaultdict(list)
    for child in children:
        by_school[child.school].append(child)
    activities = []
    for school, listed in sorted(by_school.items(), key=lambda item: item[0].org_unit.path):
        if len(listed) < 5:
            continue
        for _ in range(rng.randint(2, 4)):
            activities.append(
                RoomActivity(
                    school=school,
                    unit_id=school.org_unit_id,
                    year=year,
                    on=_days(rng, start, today),
                    title=rng.choice(ACTIVITIES),
                    participants=rng.randint(max(1, len(listed) // 3), len(listed)),
                    led_by=rng.choice("王李张刘陈杨赵黄") + "老师",
                    recorded_by=actor,
                )
            )
    return RoomActivity.objects.bulk_create(activities)


def leftbehind_demo_wipe(schools) -> None:
    """Remove the care rows of demo schools and their pupils before the generator replaces them
    (contacts and activities hold on to the schools and children it deletes)."""
    pupils = Enrolment.objects.filter(school__in=schools).values("person")
    CareContact.objects.filter(Q(school__in=schools) | Q(person__in=pupils)).delete()
    RoomActivity.objects.filter(school__in=schools).delete()
