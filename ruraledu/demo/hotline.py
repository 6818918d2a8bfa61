"""Demo 督学热线 and 问责: a year of calls and messages about the demo schools, their towns and
the district (most answered in time and closed, some answered late, a few left overdue), and
two or three accountability steps on what the demo leaves overdue past the limits. Chosen by a
fixed seed; dates count back from the day the demo is set up. Everything goes through the
services (scope checks, events, audit rows, notices). A second run adds nothing."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from ruraledu.accountability.choices import StepKind
from ruraledu.accountability.models import AccountabilityStep
from ruraledu.accountability.selectors import candidate_list
from ruraledu.accountability.services import step_record
from ruraledu.demo.pdf import DEMO_PDF as BLANK_PDF
from ruraledu.hotline import services
from ruraledu.hotline.choices import Channel
from ruraledu.hotline.models import Complaint, ComplaintEvent
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS
from ruraledu.orgunits.models import Department, OrgUnit

SEED = 1300
COMPLAINTS = 36
TOPICS = [
    ("乱收费", "反映学校以资料费名义向学生收费，每人一百多元。"),
    ("课业负担", "反映孩子每天作业做到晚上十点以后，周末还有统一补课。"),
    ("校车与交通安全", "反映接送学生的车辆超载，放学时校门口秩序混乱。"),
    ("食堂与营养餐", "反映学校食堂饭菜分量少、价格偏高，营养餐发放不规范。"),
    ("教师师德", "反映个别教师在课堂上体罚学生，言语粗暴。"),
    ("招生入学", "反映孩子随迁入学手续办理困难，学校要求提供的材料过多。"),
    ("校园安全", "反映学校围墙破损，放学后有社会人员进入校园。"),
    ("控辍保学", "反映邻居家孩子初二以后一直没有去上学，在外打工。"),
]
ANSWERS = [
    "经核实，情况基本属实，已责令学校立即整改并退还相关费用，对相关人员进行了批评教育。",
    "经调查，反映的问题部分属实，学校已调整作息和作业安排，并向家长作了说明。",
    "经核实，反映情况不属实，已将核实情况向来电人作了解释说明。",
]
NAMES = "赵钱孙李周吴郑王冯陈"
# the talk's minutes: a one-page PDF is enough for the evidence check
PDF = BLANK_PDF


def hotline_demo_wipe(schools) -> None:
    """Remove the hotline and accountability rows of demo schools before the generator replaces
    them (they hold on to the schools and to the rectification items supervision wipes)."""
    units = OrgUnit.objects.filter(school__in=schools)
    AccountabilityStep.objects.filter(school__in=units).delete()
    complaints = Complaint.objects.filter(unit__in=units) | Complaint.objects.filter(
        assigned_unit__in=units
    )
    ComplaintEvent.objects.filter(complaint__in=complaints).delete()
    complaints.delete()


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


@transaction.atomic
def hotline_demo_setup(*, actor, school) -> None:
    """A year of complaints about `school` (the demo clerk's org unit), its town, other demo schools and
    the district, then the accountability steps. Once: any complaint means it ran."""
    if Complaint.objects.exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    town = school.parent
    others = list(
        OrgUnit.objects.filter(kind="school", name__contains="示例", is_active=True)
        .exclude(pk=school.pk)
        .order_by("code")[:12]
    )
    towns = list(OrgUnit.objects.filter(kind__in=TOWN_LEVEL_KINDS).order_by("code")[:6])
    departments = list(Department.objects.order_by("sort_order", "name")[:3])
    for n in range(COMPLAINTS):
        received = _weekday(today - dt.timedelta(days=int(360 * (COMPLAINTS - n) / COMPLAINTS)))
        unit = school if n % 4 == 0 else (town if n % 9 == 4 else rng.choice(others))
        topic, question = TOPICS[rng.randrange(len(TOPICS))]
        complaint = services.complaint_log(
            actor=actor,
            channel=rng.choice(Channel.values),
            received_on=received,
            unit=unit,
            topic=topic,
            question=question,
            caller_name="" if n % 5 == 0 else f"{rng.choice(NAMES)}某某",  # fictional
            caller_phone="" if n % 5 == 0 else f"1390533{rng.randrange(10000):04d}",
        )
        _work(rng, actor, complaint, n, today, town, towns, departments)
    _accountability(actor, today)


def _work(rng, actor, complaint, n, today, town, towns, departments) -> None:
    """Assign, answer and close as the calendar allows; the last few stay open (overdue)."""
    assigned_on = min(_weekday(complaint.received_on + dt.timedelta(days=1)), today)
    if assigned_on < complaint.received_on:
        return  # received today, a weekend: still to assign
    unit = department = None
    if n % 11 == 7 and departments:
        department = departments[n % len(departments)]
    elif complaint.unit.kind in TOWN_LEVEL_KINDS or n % 6 == 5:
        unit = complaint.unit if complaint.unit.kind in TOWN_LEVEL_KINDS else towns[n % len(towns)]
    else:
        unit = complaint.unit
    complaint = services.complaint_assign(
        actor=actor,
        complaint=complaint,
        version=None,
        assigned_on=assigned_on,
        unit=unit,
        department=department,
    )
    if n in (COMPLAINTS - 1, COMPLAINTS - 2):
        return  # recent, not due yet
    if n % 10 == 3:
        return  # left unanswered: overdue
    late = n % 7 == 2
    answered_on = (
        complaint.due_on + dt.timedelta(days=3)
        if late
        else complaint.due_on - dt.timedelta(days=rng.randint(1, 8))
    )
    answered_on = max(min(answered_on, today), complaint.assigned_on)
    answerer = actor  # the bureau may answer for any assignee; the demo keeps one actor
    complaint = services.complaint_answer(
        actor=answerer,
        complaint=complaint,
        version=None,
        text=ANSWERS[n % len(ANSWERS)],
        answered_on=answered_on,
    )
    closed_on = min(answered_on + dt.timedelta(days=2), today)
    services.complaint_close(
        actor=actor,
        complaint=complaint,
        version=None,
        closed_on=closed_on,
        note="已向来电人反馈处理结果。",
    )


def _accountability(actor, today: dt.date) -> None:
    """A 提醒 and a 约谈 on the most overdue lead-department report, a 通报 on the most overdue
    rectification item: whatever the demo leaves overdue past the limits."""
    candidates = candidate_list(user=actor, today=today)
    reports = [c for c in candidates if c.kind == "report"]
    items = [c for c in candidates if c.kind == "item"]
    plan = []
    if reports:
        plan += [(reports[0], StepKind.REMINDER, None), (reports[0], StepKind.TALK, "约谈记录")]
    if items:
        plan.append((items[0], StepKind.NOTICE, "通报"))
    for candidate, kind, document in plan:
        step_record(
            actor=actor,
            candidate_key=candidate.key,
            kind=kind,
            taken_on=today,
            reason=f"{candidate.what[:60]}逾期 {candidate.working_days_late} 个工作日未完成。",
            document=(PDF, f"{document}.pdf") if document else None,
            today=today,
        )
