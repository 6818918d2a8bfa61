"""学困生成长档案: opening a pupil's file from the assessment that flagged them, the support
plan, a review each term and the exit once the child has caught up. Each write checks the
care reach at the file's school, locks the row and checks the version (not for an added
review, which overwrites nothing), and leaves an audit row."""

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, changed, snapshot
from ruraledu.core.locks import refused_if_taken
from ruraledu.core.schoolyear import semester_of
from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.reminders import notify_on_commit
from ruraledu.students.models import Enrolment

from ..choices import GrowthExitReason, GrowthFileStatus, GrowthProgress, GrowthState
from ..models import GrowthFile, GrowthFileHolding, GrowthReview
from ..permissions import may_work
from .common import audit_created, lock_version, not_future, require
from .escalation import school_workers

NOT_FOUND = "该学生不存在或不在您的范围内。"
TAKE_OVER_FIRST = (
    "该学生在原学校的成长档案尚未结束，请在学困生名单中点“接收档案”，在原档案中继续记录。"
)


def _lock(file: GrowthFile, version: int | None) -> GrowthFile:
    return lock_version(GrowthFile.objects.select_related("unit"), file.pk, version, "成长档案")


def _open_only(file: GrowthFile, action: str) -> None:
    if file.status == GrowthFileStatus.EXITED:
        raise ValidationError(f"该成长档案已转出，不能{action}。", code="illegal")


def _save(
    *, file: GrowthFile, before: dict, actor, fields: list[str], summary: str, address
) -> GrowthFile:
    file.version += 1
    file.full_clean(exclude=["person", "school", "unit", "opened_by"])
    file.save(update_fields=[*dict.fromkeys(fields), "version", "updated_at"])
    old, new = changed(before, snapshot(file))
    audit_record(
        actor=actor,
        instance=file,
        action=AuditAction.TRANSITION if "status" in old else AuditAction.UPDATE,
        before=old,
        after=new,
        summary=f"学困生成长档案：{summary}",
        address=address,
    )
    return file


def _text(value: str, what: str, minimum: int = 1) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise ValidationError(
            f"请填写{what}。" if minimum == 1 else f"{what}过短（至少 {minimum} 个字）。"
        )
    return value


@transaction.atomic
def growth_file_open(
    *,
    enrolment: Enrolment,
    actor,
    assessed_on: dt.date,
    subjects: str,
    assessed_by: str,
    assessment: str,
    address: str | None = None,
) -> GrowthFile:
    """Open the growth file of a pupil flagged 学困生 on `enrolment`, with the assessment that
    put them there. A pupil with an open file keeps it: opening another is refused."""
    school_unit = enrolment.school.org_unit
    if not Reach(actor, Action.CARE).covers(school_unit.path):
        raise PermissionDenied(NOT_FOUND)
    if not enrolment.struggling:
        raise ValidationError("该学生的学籍没有标记为学困生，不能建立学困生成长档案。")
    not_future(assessed_on, timezone.localdate(), "认定日期")
    birth_date = enrolment.person.birth_date
    if birth_date and assessed_on < birth_date:
        raise ValidationError("认定日期不能早于该学生的出生日期。")
    held = GrowthFile.objects.open().filter(person_id=enrolment.person_id).first()
    if held is not None and held.school_id != enrolment.school_id:
        raise ValidationError(TAKE_OVER_FIRST, code="exists")
    if held is not None:
        raise ValidationError("该学生已有成长档案，请在原档案中继续记录。", code="exists")
    file = GrowthFile(
        person_id=enrolment.person_id,
        school=enrolment.school,
        unit=school_unit,
        year=enrolment.year,
        grade=enrolment.grade,
        assessed_on=assessed_on,
        subjects=_text(subjects, "学困学科"),
        assessed_by=_text(assessed_by, "认定人"),
        assessment=_text(assessment, "认定情况", 10),
        opened_by=actor,
    )
    file.full_clean(validate_constraints=False)
    with refused_if_taken("该学生已有成长档案，请在原档案中继续记录。", code="exists"):
        file.save()  # or opened by someone else a moment ago
    GrowthFileHolding.objects.create(file=file, school=file.school, unit=school_unit)
    audit_record(
        actor=actor,
        instance=file,
        action=AuditAction.CREATE,
        after=snapshot(file),
        summary="学困生成长档案：认定并建档",
        address=address,
    )
    return file


def _latest_enrolment(person_id: int) -> Enrolment | None:
    """The pupil's enrolment of the latest year: the school that holds them now."""
    found = Enrolment.objects.filter(person_id=person_id).select_related("school__org_unit")
    return found.order_by("-year").first()


def _school_now(file: GrowthFile):
    """The school that holds the pupil now, when it is not the file's."""
    latest = _latest_enrolment(file.person_id)
    return latest.school if latest and latest.school_id != file.school_id else None


@transaction.atomic
def growth_file_take_over(*, enrolment: Enrolment, actor, address: str | None = None) -> GrowthFile:
    """Hand a pupil's open file to the school that now holds them (转学, 小升初): the file,
    its plan and its reviews move there and leave the former school's sight. Asked by the
    new school on the pupil's latest enrolment; asked again once taken, it answers the file."""
    if not Reach(actor, Action.CARE).covers(enrolment.school.org_unit.path):
        raise PermissionDenied(NOT_FOUND)
    if _latest_enrolment(enrolment.person_id).year > enrolment.year:
        raise ValidationError("该学生已有更新学年的学籍，档案应由其现在就读的学校接收。")
    pk = GrowthFile.objects.open().filter(person_id=enrolment.person_id).values("pk")[:1]
    file = GrowthFile.objects.select_for_update().filter(pk__in=pk).first()
    if file is None or file.status == GrowthFileStatus.EXITED:
        raise ValidationError("该学生没有未结束的成长档案，可以直接建立档案。")
    if file.school_id == enrolment.school_id:
        return file  # taken a moment ago (a double click, a colleague)
    school = enrolment.school
    before = snapshot(file)
    file.school, file.unit = school, school.org_unit
    today = timezone.localdate()
    GrowthFileHolding.objects.filter(file=file, held_until__isnull=True).update(held_until=today)
    GrowthFileHolding.objects.create(file=file, school=school, unit=file.unit, held_from=today)
    return _save(
        file=file,
        before=before,
        actor=actor,
        fields=["school", "unit"],
        summary=f"学生转入{school.org_unit.name}，档案由转入学校接收",
        address=address,
    )


@transaction.atomic
def growth_plan_set(
    *,
    file: GrowthFile,
    actor,
    version: int | None,
    on: dt.date,
    supporter: str,
    support: str,
    frequency: str,
    address: str | None = None,
) -> GrowthFile:
    """Write or revise the support plan: who helps, what they do, how often."""
    file = _lock(file, version)
    require(may_work(actor, file), "您无权办理该成长档案。")
    _open_only(file, "修改帮扶计划")
    not_future(on, timezone.localdate(), "计划制定日期")
    if on < file.assessed_on:
        raise ValidationError("计划制定日期不能早于认定日期。")
    before = snapshot(file)
    file.supporter = _text(supporter, "帮扶责任人")
    file.support = _text(support, "帮扶措施", 10)
    file.frequency = _text(frequency, "帮扶频次")
    file.plan_set_on = on
    fields = ["supporter", "support", "frequency", "plan_set_on"]
    if file.status == GrowthFileStatus.ASSESSED:
        file.status = GrowthFileStatus.SUPPORTED
        fields.append("status")
    return _save(
        file=file, before=before, actor=actor, fields=fields, summary="帮扶计划", address=address
    )


@transaction.atomic
def growth_review_add(
    *,
    file: GrowthFile,
    actor,
    version: int | None,
    on: dt.date,
    reviewer: str,
    progress: str,
    note: str,
    address: str | None = None,
) -> GrowthReview:
    """Record a term's review of the child's progress under the plan. `version` is not
    checked: an added review overwrites nothing, so a page read before someone else's save
    may still add one (the plan and status are checked as they are now)."""
    file = _lock(file, None)
    require(may_work(actor, file), "您无权办理该成长档案。")
    _open_only(file, "记录阶段评估")
    if file.plan_set_on is None:
        raise ValidationError("请先制定帮扶计划，再记录阶段评估。", code="illegal")
    not_future(on, timezone.localdate(), "评估日期")
    if on < file.plan_set_on:
        raise ValidationError("评估日期不能早于帮扶计划制定日期。")
    if progress not in GrowthProgress.values:
        raise ValidationError("请选择进步情况。")
    year, semester = semester_of(on)
    review = GrowthReview(
        file=file,
        year=year,
        semester=semester,
        on=on,
        reviewer=_text(reviewer, "评估人"),
        progress=progress,
        note=_text(note, "评估说明"),
        recorded_by=actor,
    )
    review.full_clean(exclude=["file", "recorded_by"])
    review.save()
    audit_created(
        review,
        actor=actor,
        summary=f"学困生成长档案：记录{year}学年第{semester}学期评估",
        address=address,
    )
    before = snapshot(file)
    file.last_review_on = max(filter(None, [file.last_review_on, on]))
    _save(
        file=file,
        before=before,
        actor=actor,
        fields=["last_review_on"],
        summary=f"{year}学年第{semester}学期评估（{review.get_progress_display()}）",
        address=address,
    )
    return review


@transaction.atomic
def growth_file_exit(
    *,
    file: GrowthFile,
    actor,
    version: int | None,
    on: dt.date,
    reason: str,
    note: str = "",
    address: str | None = None,
) -> GrowthFile:
    """Close the file when the child has caught up (or left), with the reason."""
    file = _lock(file, version)
    require(may_work(actor, file), "您无权办理该成长档案。")
    _open_only(file, "再次转出")
    not_future(on, timezone.localdate(), "转出日期")
    if on < file.assessed_on:
        raise ValidationError("转出日期不能早于认定日期。")
    if reason not in GrowthExitReason.values:
        raise ValidationError("请选择转出原因。")
    if reason == GrowthExitReason.CAUGHT_UP and file.last_review_on is None:
        raise ValidationError("请先记录一次阶段评估，说明学业已达到年级要求，再转出。")
    if reason == GrowthExitReason.TRANSFERRED and (school := _school_now(file)):
        # the file goes on there: closed here, the new school would start from nothing
        raise ValidationError(
            f"该学生已在{school.org_unit.name}就读，档案由该校在学困生名单中点“接收档案”接收，无需转出。"
        )
    before = snapshot(file)
    file.status = GrowthFileStatus.EXITED
    file.exited_on, file.exit_reason, file.exit_note = on, reason, (note or "").strip()
    return _save(
        file=file,
        before=before,
        actor=actor,
        fields=["status", "exited_on", "exit_reason", "exit_note"],
        summary=f"转出（{file.get_exit_reason_display()}）",
        address=address,
    )


def growth_file_transfer_notice(*, transfer, **sent) -> int:
    """A confirmed 转学 of a pupil whose open file is at another school: tell the receiving
    school's care roles to take it over (connected to `students.signals.transfer_confirmed`).
    The notice names no child: it may be e-mailed."""
    file = (
        GrowthFile.objects.open()
        .filter(person_id=transfer.person_id)
        .exclude(school_id=transfer.to_school_id)
        .first()
    )
    if file is None:
        return 0
    unit = transfer.to_school.org_unit
    query = urlencode({"year": transfer.year, "unit": unit.pk, "state": GrowthState.ELSEWHERE})
    notify_on_commit(
        recipients=school_workers(unit.pk),
        concerns=unit,
        kind=NotificationKind.TASK,
        title=f"转入学生有学困生成长档案待接收（{unit.name}）",
        body=(
            f"转学已于 {timezone.localdate(transfer.decided_at):%Y年%m月%d日} 确认。该生在原学校的学困生成长档案尚未结束，"
            "请在学困生名单中点“接收档案”，在原档案中继续帮扶和评估。"
        ),
        url=f"{reverse('care:growth_list')}?{query}",
        dedupe_key=f"growth-transfer-{transfer.pk}",
    )
    return 1
