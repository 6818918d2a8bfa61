"""Demo 控辍保学 cases: a few dozen children found over the last months, most persuaded back
within weeks and closed, some placed or on sick leave, a handful still open (one neglected,
two escalated to their town, one to the district). Chosen by a fixed seed; dates count back
from the day the demo is set up, so the cases' ages look real. Written through the care
services (so every step has its event and audit row). Runs once: a district with cases keeps
them."""

import datetime as dt
import random

from django.db.models import Q
from django.utils import timezone

from ruraledu.care import services
from ruraledu.care.choices import (
    CaseCategory,
    CaseFileKind,
    CaseSource,
    CaseStatus,
    CloseReason,
    ContactKind,
)
from ruraledu.care.models import DropoutCase
from ruraledu.core.schoolyear import current_school_year
from ruraledu.demo.pdf import DEMO_PDF as BLANK_PDF
from ruraledu.orgunits.choices import COMPULSORY_STAGES
from ruraledu.students.models import Enrolment

SEED = 12
# stands for the scanned certificate of the demo's sick-leave case
CERTIFICATE_PDF = BLANK_PDF
SURNAMES = "王李张刘陈杨赵黄周吴孙马朱胡郭何高林"
CADRES = ["村党支部书记", "村委会主任", "包村干部", "网格员"]

# the story of each case: where it ends, and how many days ago it was found
STORIES = (
    [("closed_returned", d) for d in (150, 130, 120, 110, 100, 95, 90, 80, 75, 70, 64, 60)]
    + [("closed_returned", d) for d in (55, 50, 45, 41, 38, 35, 30, 26)]
    + [("closed_placed", 85), ("closed_sick", 70), ("closed_moved", 40)]
    + [("returned", 12), ("returned", 9)]
    + [("contacting", d) for d in (24, 18, 14, 9, 6)]
    + [("contacting_neglected", 52)]
    + [("assigned", 3), ("assigned", 2), ("found", 1)]
    + [("escalated_town", 40), ("escalated_town", 33), ("escalated_district", 75)]
)


def _pupils(rng: random.Random, year: int, count: int, clerk_school=None) -> list[Enrolment]:
    """Pupils of compulsory schools, a quarter of them from 脱贫/监测 families, two at the
    clerk's school (so the school's accounts have cases to work)."""
    compulsory = Enrolment.objects.filter(
        year=year, school__stage__in=COMPULSORY_STAGES, grade__lte=9
    ).select_related("person")
    marked = list(compulsory.exclude(family_status="").order_by("pk")[:400])
    plain = list(compulsory.filter(family_status="").order_by("pk")[:4000])
    chosen = rng.sample(marked, min(len(marked), count // 4))
    chosen += rng.sample(plain, count - len(chosen))
    if clerk_school is not None:
        own = list(compulsory.filter(school_id=clerk_school.pk).order_by("pk")[:50])
        taken = {e.person_id for e in chosen}
        own = [e for e in own if e.person_id not in taken]
        for index, enrolment in zip((0, 1), rng.sample(own, min(2, len(own))), strict=False):
            # the clerk's school gets a case in work and one just found
            chosen[-(index + 4)] = enrolment
    return chosen


def care_demo_setup(*, actor, clerk_school=None) -> int:
    """Create the demo cases once; returns how many were created."""
    if DropoutCase.objects.exists():
        return 0
    rng = random.Random(SEED)
    today = timezone.localdate()
    year = current_school_year()
    created = 0
    for enrolment, (story, days) in zip(
        _pupils(rng, year, len(STORIES), clerk_school), STORIES, strict=False
    ):
        _play(rng, enrolment, story, today - dt.timedelta(days=days), today, actor, year)
        created += 1
    return created


def _play(rng, enrolment, story, found, today, actor, year) -> None:
    category = rng.choice([CaseCategory.SUSPECTED_DROPOUT] * 3 + [CaseCategory.SUSPECTED_OUT])
    source = rng.choice(list(CaseSource))
    case, _ = services.case_open(
        person=enrolment.person,
        category=category,
        source=source,
        opened_on=found,
        actor=actor,
        year=year,
    )
    if story == "found":
        return

    def later(days: int) -> dt.date:
        return min(found + dt.timedelta(days=days), today)

    def step(fn, **kwargs):
        case.refresh_from_db()
        return fn(case=case, actor=actor, version=case.version, **kwargs)

    teacher = rng.choice(SURNAMES) + "老师"
    cadre = f"{rng.choice(CADRES)} {rng.choice(SURNAMES)}{rng.choice('建国立军明华强平')}"
    step(services.case_assign, on=later(1), teacher_name=teacher, village_cadre=cadre)
    # every case in work has its plan (persuasion needs one); the neglected case is the one
    # whose last contact is weeks old
    step(
        services.case_plan_set,
        on=later(1),
        plan=f"{teacher}每周家访一次，{cadre}做家长思想工作；学校安排学业补习，两周内劝返。",
    )
    if story == "assigned":
        return
    visits = 1 if story == "contacting_neglected" else rng.randint(1, 3)
    for visit in range(visits):
        step(
            services.case_contact_add,
            on=later(2 + visit * 5),
            kind=rng.choice(list(ContactKind)),
            who=f"{teacher}、{cadre}",
            outcome=rng.choice(
                [
                    "家长外出务工，孩子由祖父母照看，沉迷手机不愿上学；已与家长电话沟通。",
                    "孩子因学习跟不上产生厌学情绪，承诺下周一返校。",
                    "家长同意送孩子返校，需学校安排补课。",
                ]
            ),
            next_step="三天后回访",
        )
    if story.startswith("escalated"):
        step(services.case_escalate, on=later(15), guardian=rng.choice(SURNAMES) + "某某")
        if story == "escalated_district":
            step(
                services.case_escalate,
                on=later(32),
                procedure="监护人逾期未送子女返校，已提请镇人民政府依法送达责令改正决定书。",
            )
        return
    if story.startswith("contacting"):
        return
    outcome = {
        "closed_placed": CaseStatus.PLACED,
        "closed_sick": CaseStatus.SICK_LEAVE,
    }.get(story, CaseStatus.RETURNED)
    if story == "closed_moved":
        step(
            services.case_close,
            on=later(20),
            reason=CloseReason.MOVED_AWAY,
            note="随父母迁往外省，已核实迁入地学校在读证明。",
        )
        return
    step(
        services.case_resolve,
        on=later(rng.randint(10, 20)),
        outcome=outcome,
        placement_note="区特殊教育学校（送教上门）" if outcome == CaseStatus.PLACED else "",
        certificate_number=f"ZB{rng.randint(10000, 99999)}" if outcome == "sick_leave" else "",
        certificate_issuer="区人民医院" if outcome == CaseStatus.SICK_LEAVE else "",
    )
    if outcome == CaseStatus.SICK_LEAVE:
        step(
            services.case_file_add,
            kind=CaseFileKind.CERTIFICATE,
            data=CERTIFICATE_PDF,
            filename="区人民医院诊断证明.pdf",
        )
    if story.startswith("closed"):
        reason = {
            CaseStatus.PLACED: CloseReason.PLACED,
            CaseStatus.SICK_LEAVE: CloseReason.SICK_LEAVE,
        }.get(outcome, CloseReason.RETURNED)
        step(services.case_close, on=later(25), reason=reason, note="返校后跟踪一个月，稳定就读。")


def care_demo_wipe(schools) -> None:
    """Remove the care rows of demo schools (cases, findings, growth files) and their pupils before the generator replaces them
    (cases, notices and findings hold on to the schools and children it deletes)."""
    from ruraledu.care.models import (
        CaseContact,
        CaseEvent,
        DropoutCase,
        Finding,
        GrowthFile,
        ListEntry,
        ReturnNotice,
    )
    from ruraledu.orgunits.choices import OrgUnitKind
    from ruraledu.students.models import Enrolment

    pupils = Enrolment.objects.filter(school__in=schools).values("person")
    cases = DropoutCase.objects.filter(Q(school__in=schools) | Q(person__in=pupils))
    for queryset in (
        CaseEvent.objects.filter(case__in=cases),
        CaseContact.objects.filter(case__in=cases),
        ReturnNotice.objects.filter(case__in=cases),
        Finding.objects.filter(Q(school__in=schools) | Q(student__in=pupils) | Q(case__in=cases)),
        cases,
        # growth files (their reviews go with them)
        GrowthFile.objects.filter(Q(school__in=schools) | Q(person__in=pupils)),
        # the demo's partner lists hold on to the demo villages the generator replaces
        ListEntry.objects.filter(village__kind=OrgUnitKind.VILLAGE, village__name__contains="示例"),
    ):
        queryset.delete()


# 学困生成长档案 at the clerk's school: the flagged pupils, in roster order, take these stories in
# turn (a school with few flagged pupils still shows files in work): reviewed this term, under a
# plan not yet reviewed this term, assessed without a plan, caught up and exited, no file yet
GROWTH_SEED = 21
GROWTH_STORIES = (
    "reviewed",
    "planned",
    "assessed",
    "reviewed",
    "exited",
    "planned",
    "none",
    "reviewed",
    "planned",
    "assessed",
)
SUBJECTS = ["语文", "数学", "英语", "语文、数学", "数学、英语"]
SUPPORT = [
    "课后一对一辅导，每次 30 分钟，先补基础知识再做同步练习",
    "安排学习小组长结对互助，教师每周检查作业并面批",
    "分层布置作业，每周一次家校沟通，指导家长督促复习",
]


def growth_demo_setup(*, actor, school) -> int:
    """Growth files for the pupils flagged 学困生 at `school` this year, by a fixed seed and
    through the care services; dates count back from today. Runs once per school."""
    from ruraledu.care.choices import GrowthExitReason, GrowthProgress
    from ruraledu.care.models import GrowthFile
    from ruraledu.indicators.definitions.care import term_start

    if school is None or GrowthFile.objects.filter(unit_id=school.pk).exists():
        return 0
    rng = random.Random(GROWTH_SEED)
    today = timezone.localdate()
    year = current_school_year()
    pupils = list(
        Enrolment.objects.filter(year=year, school_id=school.pk, struggling=True)
        .select_related("school__org_unit")
        .order_by("pk")
    )
    created = 0
    for index, enrolment in enumerate(pupils):
        story = GROWTH_STORIES[index % len(GROWTH_STORIES)]
        if story == "none":
            continue
        assessed = today - dt.timedelta(days=rng.randint(120, 200))
        teacher = rng.choice(SURNAMES) + "老师"
        file = services.growth_file_open(
            enrolment=enrolment,
            actor=actor,
            assessed_on=assessed,
            subjects=rng.choice(SUBJECTS),
            assessed_by=f"{enrolment.grade}年级教研组 {teacher}",
            assessment=rng.choice(
                [
                    "期初测试成绩低于年级平均 30 分以上，基础知识掌握不牢。",
                    "连续两次单元测试不及格，课堂跟不上，作业完成困难。",
                    "阅读理解和计算能力明显落后，学习信心不足。",
                ]
            ),
        )
        created += 1
        if story == "assessed":
            continue

        def step(fn, file=file, **kwargs):
            file.refresh_from_db()
            return fn(file=file, actor=actor, version=file.version, **kwargs)

        planned = assessed + dt.timedelta(days=rng.randint(3, 10))
        step(
            services.growth_plan_set,
            on=planned,
            supporter=f"班主任 {teacher}",
            support=rng.choice(SUPPORT),
            frequency=rng.choice(["每周 1 次", "每周 2 次", "每周 3 次"]),
        )
        # a "planned" file was last reviewed before this term began (or never)
        reviewed = min(
            planned + dt.timedelta(days=rng.randint(40, 60)),
            term_start(today) - dt.timedelta(days=1),
        )
        if story in ("reviewed", "exited"):
            reviewed = max(term_start(today), today - dt.timedelta(days=rng.randint(3, 20)))
        if planned <= reviewed <= today:
            step(
                services.growth_review_add,
                on=reviewed,
                reviewer=teacher,
                progress=GrowthProgress.IMPROVED
                if story == "exited"
                else rng.choice(list(GrowthProgress)),
                note=rng.choice(["期中成绩提高 10 分", "作业完成率提高", "课堂发言增多"]),
            )
        if story == "exited":
            step(
                services.growth_file_exit,
                on=today,
                reason=GrowthExitReason.CAUGHT_UP,
                note="期末复评达到年级要求",
            )
    return created


__all__ = ["care_demo_setup", "care_demo_wipe", "growth_demo_setup"]
