"""Demo supervision: a 督导责任区 per town, four kinds of visit with published checklists, the
demo inspector as 挂牌 责任督学 of their two schools (last school year and this one) with about
a visit a month over the last year (the plan of one 经常性督导 a month partly met: some months
had another kind of visit, the second school missed two), findings turned into items and
numbered notices (most answered and closed, some returned, some left overdue and escalated,
reminders of deadlines coming up), and the demo
researcher's 包校 links with 听课 each semester of the current school year. Chosen by a fixed seed; dates count back from
the day the demo is set up. Everything goes through the supervision services (permission
checks, events, audit rows). A second run adds nothing."""

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from ruraledu.activities.models import LessonObservation, SchoolLink
from ruraledu.core import crypto
from ruraledu.core.idnumbers import make_resident_id
from ruraledu.core.schoolyear import (
    current_school_year,
    school_year_bounds,
    school_year_of,
    semester_of,
)
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.supervision import services
from ruraledu.supervision.choices import Verdict
from ruraledu.supervision.models import InspectorAssignment, StaffAccount, Visit, VisitKind, Zone
from ruraledu.workforce.choices import Degree
from ruraledu.workforce.models import Post, StaffPerson

SEED = 13
HOTLINE_DUTIES = (
    "每月到校督导不少于一次，督查办学行为、安全管理、教育教学和控辍保学，督促问题整改。"
)

KINDS = [
    (
        "经常性督导",
        1,
        """安全管理：校舍、消防设施完好，隐患排查记录完整
食堂食品安全，留样、索证索票记录齐全
上下学交通安全与接送秩序
教育教学：国家课程开齐开足，作息时间符合规定
作业总量控制与分层布置
课后服务按时开展、有记录
办学行为：无违规补课、违规收费
控辍保学台账按月更新
校园文化：校园环境整洁，图书室、功能室按时开放""",
    ),
    (
        "专项督导",
        0,
        """食品安全：食堂证照齐全，从业人员健康证有效
食材采购、验收、留样记录完整
校园安全：消防器材在有效期内，疏散通道畅通
心理健康：配备心理辅导室，有学生心理档案""",
    ),
    (
        "随机督导（暗访）",
        0,
        """办学行为：按课表上课，无挪用音体美课时
教师到岗在岗，无擅离岗位
安全管理：门卫值守、来访登记""",
    ),
    (
        "开学/期末检查",
        0,
        """开学准备：教材、教辅按时到位，无强制征订
校舍安全排查完成，隐患已整改
教育教学：教学计划、课表公示
期末工作：考试安排符合规定，假期安全教育到位""",
    ),
]

FINDINGS = [
    ("安全管理", "消防通道堆放杂物，影响疏散", "《中小学幼儿园安全管理办法》"),
    ("安全管理", "食堂留样记录不全，部分餐次缺少留样", "《学校食品安全与营养健康管理规定》"),
    ("安全管理", "两具灭火器压力不足，未及时更换", "《中小学幼儿园安全管理办法》"),
    ("教育教学", "四年级美术课被调作数学课", "《义务教育课程方案（2022年版）》"),
    ("教育教学", "课后服务签到记录不完整", "《关于做好中小学生课后服务工作的指导意见》"),
    ("办学行为", "控辍保学台账未按月更新", "《关于进一步加强控辍保学工作的通知》"),
    ("校园文化", "图书室开放时间不足，借阅记录少", "《中小学图书馆（室）规程》"),
]
SURNAMES = "王李张刘陈杨赵黄周吴孙马朱胡郭何高林"


def supervision_demo_setup(*, admin, inspector, inspected, researcher, researched) -> int:
    """Set up demo supervision once; returns how many visits were created."""
    kinds = [_kind(admin, n, *spec) for n, spec in enumerate(KINDS, start=1)]
    _zones(admin, inspected[0].parent.parent)
    today = timezone.localdate()
    schools = [u.school for u in inspected]
    # the visits' school years, and the platform's current one (the indicators' year)
    years = {current_school_year(), school_year_of(today - dt.timedelta(days=365))}
    for school in schools:
        for year in sorted(years | {school_year_of(today)}):
            _assign(admin, school, inspector, year)
    _researcher(admin, researcher, [u.school for u in researched], today)
    if Visit.objects.filter(inspector=inspector).exists():
        return 0
    rng = random.Random(SEED)
    created = 0
    for n, school in enumerate(schools):
        for months_ago in range(11, -1, -1):
            day = _weekday(today - dt.timedelta(days=30 * months_ago + rng.randint(3, 20)))
            if day > today or day.month in (7, 8):  # no visits in the summer holidays
                continue
            if n == 1 and months_ago in (2, 6):  # the second school missed two months
                continue
            kind = kinds[0] if months_ago % 4 else rng.choice(kinds[1:])
            _visit(rng, admin, inspector, school, kind, day, today)
            created += 1
    services.items_remind(today=today)
    services.items_escalate(today=today)
    return created


def _kind(admin, order: int, name: str, per_month: int, lines: str) -> VisitKind:
    kind = VisitKind.objects.filter(name=name).first()
    if kind is None:
        kind = services.visit_kind_save(
            actor=admin, name=name, visits_per_month=per_month, order=order
        )
    if services.checklist_current(kind) is None:
        draft = services.checklist_draft_save(
            actor=admin, kind=kind, title=f"{name}检查表", lines=lines
        )
        services.checklist_publish(actor=admin, checklist=draft)
    return kind


def _zones(admin, district: OrgUnit) -> None:
    towns = district.children.filter(kind__in=TOWN_LEVEL_KINDS).order_by("sort_order", "code")
    for town in towns:
        name = f"{town.name}督导责任区"
        if Zone.objects.filter(name=name).exists():
            continue
        schools = School.objects.filter(org_unit__parent=town)
        services.zone_save(actor=admin, name=name, schools=list(schools), town=town)


def _assign(admin, school, inspector, year: int) -> None:
    if InspectorAssignment.objects.filter(school=school, year=year, ended_on__isnull=True).exists():
        return
    services.inspector_assign(
        actor=admin,
        school=school,
        inspector=inspector,
        year=year,
        started_on=dt.date(year, 9, 1),
        zone=Zone.objects.filter(town=school.org_unit.parent).first(),
        work_phone="0533-5180000",
        duties=HOTLINE_DUTIES,
    )


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _visit(rng, admin, inspector, school, kind, day: dt.date, today: dt.date) -> None:
    visit = services.visit_create(
        actor=inspector, school=school, kind=kind, visited_on=day, team="责任督学（示例）"
    )
    problems = rng.sample(FINDINGS, rng.choice([0, 0, 1, 1, 2]))
    findings = [
        services.finding_add(actor=inspector, visit=visit, area=area, text=text)
        for area, text, _ in problems
    ]
    bad_areas = {area for area, _, _ in problems}
    verdicts = {
        item.pk: (Verdict.NOT_MET if item.area in bad_areas else Verdict.MET, "")
        for item in visit.checklist.items.all()
    }
    summary = "存在问题，已当场反馈学校。" if problems else "学校管理规范，未发现问题。"
    visit = services.visit_update(
        actor=inspector,
        visit=visit,
        version=visit.version,
        summary=summary,
        team="",
        verdicts=verdicts,
    )
    principal = f"{rng.choice(SURNAMES)}校长"
    visit = services.visit_sign_off(
        actor=inspector,
        visit=visit,
        version=visit.version,
        principal_name=principal,
        acknowledged=True,
    )
    if not findings:
        return
    deadline = day + dt.timedelta(days=rng.choice([14, 21, 28]))
    items = [
        services.item_create(
            actor=inspector,
            finding=finding,
            description=f"整改：{text}",
            deadline=deadline,
            responsible=f"{rng.choice(SURNAMES)}主任",
            rule=rule,
        )
        for finding, (_, text, rule) in zip(findings, problems, strict=True)
    ]
    issued = min(day + dt.timedelta(days=1), today)
    services.notice_issue(actor=inspector, items=items, issued_on=issued)
    for item in items:
        _follow_up(rng, admin, inspector, item, deadline, today)


def _follow_up(rng, admin, inspector, item, deadline: dt.date, today: dt.date) -> None:
    """Old items were mostly answered and closed; a few were returned or never answered (and
    are now overdue); recent ones are still with the school or answered."""
    story = rng.random()
    if deadline > today:
        if story < 0.5:
            _answer(admin, item)
        return
    if story < 0.15:
        return  # never answered: overdue
    _answer(admin, item)
    item.refresh_from_db()
    if story < 0.3:
        services.item_return(
            actor=inspector, item=item, version=item.version, reason="整改不到位，请补充佐证材料。"
        )
        return
    services.item_close(
        actor=inspector,
        item=item,
        version=item.version,
        on=min(deadline, today),
        note="现场核查属实",
    )


def _answer(admin, item) -> None:
    # the bureau answers for the demo school (the demo has no clerk account at these schools)
    item.refresh_from_db()
    services.item_answer(
        actor=admin, item=item, version=item.version, text="已按要求整改完毕，并建立了检查记录。"
    )


def _researcher(admin, researcher, schools, today: dt.date) -> None:
    """The demo researcher acts as a fictional 教研员 on the roster, linked to their two schools in the
    platform's current school year, with 听课 recorded on the phone in each of its semesters
    (so far as they have passed): the first school at 8 or more each semester, the second
    short of 8 in the second (the indicator of project 33 shows the difference)."""
    year = current_school_year()
    account = StaffAccount.objects.filter(user=researcher).first()
    if account is None:
        person = _researcher_person(schools[0], year)
        account = services.staff_account_link(actor=admin, user=researcher, person=person)
    for school in schools:
        if not SchoolLink.objects.filter(person=account.person, school=school, year=year).exists():
            services.school_link_assign(
                actor=admin, researcher=researcher, school=school, year=year
            )
    if LessonObservation.objects.filter(observer=account.person, recorded_by=researcher).exists():
        return
    rng = random.Random(SEED + 1)
    first, last = school_year_bounds(year)
    days = [first + dt.timedelta(days=n) for n in range((min(last, today) - first).days + 1)]
    for school, counts in zip(schools, ((9, 8), (8, 5)), strict=False):
        for semester, count in zip((1, 2), counts, strict=True):
            pool = [d for d in days if d.weekday() < 5 and semester_of(d) == (year, semester)]
            for day in sorted(rng.sample(pool, min(len(pool), count))):
                _observe(rng, researcher, school, day)


def _researcher_person(school, year: int) -> StaffPerson:
    """A fictional 教研员 on the roster (written like the generator's rows): the generated
    ones are each linked to many pilot schools, the demo account to exactly its two."""
    sequence = 990
    while True:
        number = make_resident_id("370302", dt.date(1982, 4, 16), sequence)
        if not StaffPerson.objects.filter(id_index=crypto.blind_index(number)).exists():
            break
        sequence += 1
    person = StaffPerson(name="王晓燕", sex="2", birth_date=dt.date(1982, 4, 16))
    person.set_id_number(number)
    person.save()
    Post.objects.create(
        person=person,
        school=school,
        year=year,
        is_researcher=True,
        is_full_time_teacher=False,
        degree=Degree.BACHELOR,
    )
    return person


def _observe(rng, researcher, school, day: dt.date) -> None:
    try:
        services.observation_record(
            actor=researcher,
            school=school,
            held_on=day,
            class_name=f"{rng.randint(1, 6)}年级{rng.randint(1, 3)}班",
            subject=rng.choice(["语文", "数学", "英语", "科学", "道德与法治"]),
            teacher_name=f"{rng.choice(SURNAMES)}老师",
            title=rng.choice(["分数的初步认识", "古诗二首", "植物的一生", "Unit 3 My friends"]),
            rating=rng.choice(["excellent", "good", "good", "fair"]),
            comments="目标明确，学生参与度高；建议加强分层练习。",
            follow_up="下次听课跟进作业设计",
        )
    except ValidationError:
        pass  # an imported record already holds that day at that school


def supervision_demo_wipe(schools) -> None:
    """Remove the supervision rows of demo schools before the generator replaces them (they
    would otherwise hold on to the schools and staff it deletes)."""
    from ruraledu.supervision.models import (
        ItemAnswer,
        ItemEvent,
        RectificationItem,
        RectificationNotice,
    )

    items = RectificationItem.objects.filter(school__in=schools)
    ItemEvent.objects.filter(item__in=items).delete()
    ItemAnswer.objects.filter(item__in=items).delete()
    items.delete()
    RectificationNotice.objects.filter(school__in=schools).delete()
    Visit.objects.filter(corrects__school__in=schools).delete()
    Visit.objects.filter(school__in=schools).delete()
    InspectorAssignment.objects.filter(school__in=schools).delete()
    Zone.schools.through.objects.filter(school__in=schools).delete()
    staff = Post.objects.filter(school__in=schools).values("person")
    StaffAccount.objects.filter(person__in=staff).delete()
