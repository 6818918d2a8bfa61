"""Opening a case and working it: the people responsible, the plan (方案), the contacts."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS
from ruraledu.students.models import Enrolment

from ..choices import WORKING_STATUSES, CaseCategory, CaseEventKind, CaseStatus
from ..deadlines import step_deadline
from ..models import CaseContact, CaseEvent, DropoutCase
from ..permissions import may_work, may_write_plan
from .common import (
    audit_created,
    lock,
    not_before_found,
    not_future,
    record,
    refuse_unless,
    require,
    require_plan,
)


def _place(person, year: int):
    """The school the child attended most recently up to `year`, its town, and the grade."""
    enrolment = (
        Enrolment.objects.filter(person=person, year__lte=year)
        .select_related("school__org_unit__parent")
        .order_by("-year")
        .first()
    )
    if enrolment is None:
        return None, None, None
    school_unit = enrolment.school.org_unit
    town = school_unit.parent
    while town is not None and town.kind not in TOWN_LEVEL_KINDS:
        town = town.parent
    return enrolment.school, town, enrolment.grade


NOT_IN_SCOPE = "该学生不存在或不在您的范围内。"


@transaction.atomic
def case_open(
    *,
    person,
    category: str,
    source: str,
    opened_on: dt.date,
    actor,
    year: int,
    town=None,
    address: str | None = None,
) -> tuple[DropoutCase, bool]:
    """Open a case for a child, at the school the child last attended (or at `town` for a child
    never enrolled). A child already in an open case gets that case back (created False)."""
    existing = DropoutCase.objects.open().filter(person=person).first()
    if existing is not None:
        require(may_work(actor, existing) or Reach(actor, Action.CARE).covers(existing.town.path))
        return existing, False
    school, school_town, grade = _place(person, year)
    # before any check that depends on the child: a refusal about their birth date or
    # school would tell someone out of scope that the child exists, and where
    if school is not None and not Reach(actor, Action.CARE).covers(school.org_unit.path):
        raise PermissionDenied(NOT_IN_SCOPE)
    not_future(opened_on, timezone.localdate(), "发现日期")
    if school is not None:
        if school_town is None:
            raise ValidationError("该学生的学校不属于任何镇街（街道、开发区），无法建档。")
        town, unit = school_town, school.org_unit
    elif town is None:
        # a child never enrolled (one the 四查三比对 found) is opened from that list, with its
        # town; here, telling that the child has no school would tell that the child exists
        raise PermissionDenied(NOT_IN_SCOPE)
    else:
        unit = town
    if category not in CaseCategory.values:
        raise ValidationError("请选择个案类别（疑似失学或疑似辍学）。")
    if not Reach(actor, Action.CARE).covers(unit.path):
        # the same answer as for a child who does not exist: nothing is disclosed
        raise PermissionDenied(NOT_IN_SCOPE)
    if person.birth_date and opened_on < person.birth_date:
        raise ValidationError("发现日期不能早于该学生的出生日期。")
    case = DropoutCase(
        person=person,
        school=school,
        town=town,
        unit=unit,
        year=year,
        grade=grade,
        category=category,
        source=source,
        opened_on=opened_on,
        opened_by=actor,
    )
    case.deadline, case.deadline_provisional = step_deadline(CaseStatus.FOUND, opened_on)
    case.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:  # opened by someone else a moment ago
        return DropoutCase.objects.open().get(person=person), False
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.OPENED,
        on=opened_on,
        actor=actor,
        to_status=case.status,
        note=f"{case.get_category_display()}，来源：{case.get_source_display()}",
    )
    audit_record(
        actor=actor,
        instance=case,
        action=AuditAction.CREATE,
        after=snapshot(case),
        summary="控辍保学个案：发现并建档",
        address=address,
    )
    return case, True


@transaction.atomic
def case_assign(
    *,
    case: DropoutCase,
    actor,
    version: int | None,
    on: dt.date,
    village_cadre: str,
    teacher=None,
    teacher_name: str = "",
    address: str | None = None,
) -> DropoutCase:
    """Name the 班主任 (an account or a name) and the 包村干部 who will persuade the child back;
    a found case becomes assigned, a case in work keeps its status (a change of people)."""
    case = lock(case, version)
    require(may_work(actor, case))
    refuse_unless(case, (CaseStatus.FOUND, *WORKING_STATUSES), "指定责任人")
    not_future(on, timezone.localdate(), "指定日期")
    not_before_found(on, case, "指定日期")
    teacher_name = (teacher_name or (str(teacher) if teacher else "")).strip()
    # a child never enrolled (a case the town holds) has no 班主任: the 包村干部 is enough
    if (case.school_id is not None and not teacher_name) or not village_cadre.strip():
        raise ValidationError(f"请填写{case.responsible}。")
    before, from_status = snapshot(case), case.status
    case.teacher, case.teacher_name, case.village_cadre = teacher, teacher_name, village_cadre
    if case.status == CaseStatus.FOUND:
        case.status = CaseStatus.ASSIGNED
    return record(
        case=case,
        before=before,
        from_status=from_status,
        kind=CaseEventKind.ASSIGNED,
        on=on,
        actor=actor,
        note=f"班主任：{teacher_name}；包村干部：{village_cadre}"
        if teacher_name
        else f"包村干部：{village_cadre}",
        address=address,
        fields=["teacher", "teacher_name", "village_cadre"],
    )


PLAN_UNREAD = "劝返方案含学生个人信息，个案上报镇街前由学校修改；如需调整，请联系学校。"
PLAN_BY_SCHOOL = "劝返方案含学生个人信息，个案上报镇街前由学校制定；请联系学校填写劝返方案。"


@transaction.atomic
def case_plan_set(
    *,
    case: DropoutCase,
    actor,
    version: int | None,
    plan: str,
    on: dt.date,
    address: str | None = None,
) -> DropoutCase:
    """Write or revise the case's written plan (方案): who does what by when."""
    case = lock(case, version)
    require(may_work(actor, case))
    refuse_unless(case, (CaseStatus.FOUND, *WORKING_STATUSES), "修改劝返方案")
    not_future(on, timezone.localdate(), "方案制定日期")
    not_before_found(on, case, "方案制定日期")
    if not may_write_plan(actor, case):
        # the plan names the child, parents, addresses: one who sees the name masked neither
        # reads it (the page withholds it) nor writes it; the school does, until escalation
        raise ValidationError(PLAN_UNREAD if case.plan else PLAN_BY_SCHOOL)
    if len(plan.strip()) < 10:
        raise ValidationError("劝返方案过短：请写明措施、责任人和时间安排（至少 10 个字）。")
    before = snapshot(case)
    case.plan, case.plan_written_on = plan.strip(), on
    return record(
        case=case,
        before=before,
        from_status=case.status,
        kind=CaseEventKind.PLAN,
        on=on,
        actor=actor,
        note=plan.strip()[:200],
        address=address,
        fields=["plan", "plan_written_on"],
    )


@transaction.atomic
def case_contact_add(
    *,
    case: DropoutCase,
    actor,
    version: int | None,
    kind: str,
    on: dt.date,
    who: str,
    outcome: str,
    next_step: str = "",
    address: str | None = None,
) -> CaseContact:
    """Log a 家访, call or 劝返 talk. The first contact starts the persuasion (劝返中), which
    needs the written plan.
    `version` is not checked: an added contact overwrites nothing, so a page read before
    someone else's save may still add one (the status is checked as it is now)."""
    case = lock(case, None)
    require(may_work(actor, case))
    if case.status == CaseStatus.FOUND:
        raise ValidationError(f"请先指定{case.responsible}，再记录联系情况。", code="illegal")
    refuse_unless(case, WORKING_STATUSES, "记录联系情况")
    require_plan(case, "contact")
    not_future(on, timezone.localdate(), "联系日期")
    not_before_found(on, case, "联系日期")
    contact = CaseContact(
        case=case,
        kind=kind,
        on=on,
        who=who.strip(),
        outcome=outcome.strip(),
        next_step=next_step.strip(),
        recorded_by=actor,
    )
    contact.full_clean(exclude=["case", "recorded_by"])
    contact.save()
    audit_created(
        contact,
        actor=actor,
        summary=f"控辍保学个案：记录{contact.get_kind_display()}",
        address=address,
    )
    before, from_status = snapshot(case), case.status
    case.last_contact_on = max(filter(None, [case.last_contact_on, on]))
    if case.status == CaseStatus.ASSIGNED:
        case.status = CaseStatus.CONTACTING
    record(
        case=case,
        before=before,
        from_status=from_status,
        kind=CaseEventKind.CONTACT,
        on=on,
        actor=actor,
        note=f"{contact.get_kind_display()}（{contact.who}）：{contact.outcome[:150]}",
        address=address,
        fields=["last_contact_on"],
    )
    return contact
