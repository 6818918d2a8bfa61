"""Hotline writes: log, assign, answer, return, close, and the daily reminders. Every step is
checked against the actor's scope here, writes an event row and an audit row in the same
transaction, and notifies after commit."""

import datetime as dt
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.policy import bureau_users
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, changed, snapshot
from ruraledu.core.versions import check_version
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS, OrgUnitKind
from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.reminders import (
    notify,
    notify_on_commit,
    reporters_of,
    send_pending_emails,
    settle,
)
from ruraledu.reporting.workdays import WorkingCalendar

from .choices import ComplaintEventKind, ComplaintStatus
from .conf import answer_working_days, due_soon_working_days
from .models import Complaint, ComplaintEvent
from .permissions import may_answer, may_manage, require

BUREAU_ONLY = "只有区教体局督导室可以办理这一步。"
STALE = (
    "该%(what)s已被其他人更新（您看到的是第 %(seen)s 版，现在是第 %(now)s 版），"
    "您的操作没有保存。请刷新页面后再办理。"
)
ASSIGNABLE_KINDS = (OrgUnitKind.SCHOOL, *TOWN_LEVEL_KINDS)
# audit rows never carry the caller: the ciphertexts are left out of every snapshot
AUDIT_EXCLUDE = ("caller_name_cipher", "caller_phone_cipher")


def _snapshot(complaint: Complaint) -> dict:
    values = snapshot(complaint)
    for name in AUDIT_EXCLUDE:
        values.pop(name, None)
    return values


def _url(complaint: Complaint) -> str:
    return reverse("hotline:complaint_detail", args=[complaint.pk])


def _label(complaint: Complaint) -> str:
    # by number: the 事项类别 is typed freely (it may name a child), and a notice's title is
    # e-mailed and pushed to the group robots
    return f"#{complaint.pk}"


def _not_future(on: dt.date, what: str) -> None:
    if on > timezone.localdate():
        raise ValidationError(f"{what}不能晚于今天。")


def _lock(complaint: Complaint, version: int | None, may=None, refusal: str = "") -> Complaint:
    """`complaint` re-read under a row lock; when `may(locked)` is given, it decides first
    (PermissionDenied with `refusal`): someone without the right is not told of versions."""
    locked = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("assigned_unit", "assigned_department", "unit")
        .get(pk=complaint.pk)
    )
    if may is not None:
        require(may(locked), refusal)
    check_version(STALE, what="工单", seen=version, now=locked.version)
    return locked


def _refuse_unless(complaint: Complaint, statuses, action: str) -> None:
    if complaint.status not in statuses:
        raise ValidationError(
            f"工单当前状态为“{complaint.get_status_display()}”，不能{action}。", code="illegal"
        )


def _step(complaint, *, before, from_status, kind, actor, note="", address=None) -> None:
    complaint.version += 1
    complaint.full_clean()
    complaint.save()
    old, new = changed(before, _snapshot(complaint))
    audit_record(
        actor=actor,
        instance=complaint,
        action=AuditAction.TRANSITION if complaint.status != from_status else AuditAction.UPDATE,
        before=old,
        after=new,
        summary=f"热线工单：{ComplaintEventKind(kind).label}",
        address=address,
    )
    ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=complaint.status,
        note=note,
    )


def _assignee_users(complaint: Complaint) -> list:
    return reporters_of(complaint.assignee) if complaint.assignee else []


@transaction.atomic
def complaint_log(
    *,
    actor,
    channel: str,
    received_on: dt.date,
    unit,
    topic: str,
    question: str,
    caller_name: str = "",
    caller_phone: str = "",
    address: str | None = None,
) -> Complaint:
    """Log a call or message; the caller's name and phone are encrypted at once."""
    require(may_manage(actor), BUREAU_ONLY)
    _not_future(received_on, "受理日期")
    if not topic.strip() or len(question.strip()) < 5:
        raise ValidationError("请填写事项类别和反映内容（至少 5 个字）。")
    complaint = Complaint(
        channel=channel,
        received_on=received_on,
        unit=unit,
        topic=topic.strip(),
        question=question.strip(),
        created_by=actor,
    )
    complaint.set_caller(caller_name[:50], caller_phone[:30])
    complaint.full_clean()
    complaint.save()
    ComplaintEvent.objects.create(
        complaint=complaint,
        kind=ComplaintEventKind.LOGGED,
        actor=actor,
        to_status=complaint.status,
    )
    audit_record(
        actor=actor,
        instance=complaint,
        action=AuditAction.CREATE,
        after=_snapshot(complaint),
        summary=f"热线工单登记：{unit} {complaint.topic}",
        address=address,
    )
    return complaint


def answer_deadline(assigned_on: dt.date) -> tuple[dt.date, bool]:
    """The day the answer is due: the configured working days after assignment."""
    calendar = WorkingCalendar.load(range(assigned_on.year, assigned_on.year + 2))
    return calendar.add_working_days(assigned_on, answer_working_days())


@transaction.atomic
def complaint_assign(
    *,
    actor,
    complaint: Complaint,
    version: int | None,
    assigned_on: dt.date,
    unit=None,
    department=None,
    address: str | None = None,
) -> Complaint:
    """Hand a complaint to a school, a town office or a department, due in working days.
    Assigning again (to someone else) starts a new deadline."""
    require(may_manage(actor), BUREAU_ONLY)
    complaint = _lock(complaint, version)
    _refuse_unless(complaint, (ComplaintStatus.RECEIVED, ComplaintStatus.ASSIGNED), "交办")
    if (unit is None) == (department is None):
        raise ValidationError("请选择一个承办单位：学校、镇街教育办或部门。")
    if unit is not None and unit.kind not in ASSIGNABLE_KINDS:
        raise ValidationError("承办单位只能是学校、镇街或部门。")
    _not_future(assigned_on, "交办日期")
    if assigned_on < complaint.received_on:
        raise ValidationError("交办日期不能早于受理日期。")
    before, from_status = _snapshot(complaint), complaint.status
    complaint.assigned_unit, complaint.assigned_department = unit, department
    complaint.assigned_on = assigned_on
    complaint.due_on, complaint.due_provisional = answer_deadline(assigned_on)
    complaint.status = ComplaintStatus.ASSIGNED
    _step(
        complaint,
        before=before,
        from_status=from_status,
        kind=ComplaintEventKind.ASSIGNED,
        actor=actor,
        note=f"交办{complaint.assignee}，{complaint.due_on:%Y-%m-%d}前答复",
        address=address,
    )
    recipients = _assignee_users(complaint)
    title = f"热线工单交办：{_label(complaint)}（{complaint.due_on:%Y年%m月%d日}前答复）"
    key = f"hotline-assigned:{complaint.pk}:{complaint.version}"
    notify_on_commit(
        recipients=recipients,
        concerns=complaint.assignee,
        kind=NotificationKind.COMPLAINT,
        title=title,
        # what was reported stays on the page: a notice can be e-mailed, and a complaint
        # often names a child
        body="区教体局督导室交办一件督学热线反映的问题，请登录平台查看反映内容并按期答复。",
        url=_url(complaint),
        dedupe_key=key,
    )
    return complaint


@transaction.atomic
def complaint_answer(
    *,
    actor,
    complaint: Complaint,
    version: int | None,
    text: str,
    answered_on: dt.date,
    address: str | None = None,
) -> Complaint:
    """The assignee answers what it found and did; the bureau then closes or returns it."""
    # who answers depends on the current assignment, so it is asked of the locked row
    complaint = _lock(
        complaint, version, partial(may_answer, actor), "只有承办单位可以答复该工单。"
    )
    _refuse_unless(complaint, (ComplaintStatus.ASSIGNED,), "答复")
    if len(text.strip()) < 5:
        raise ValidationError("请写明核实和处理情况（至少 5 个字）。")
    _not_future(answered_on, "答复日期")
    if answered_on < complaint.assigned_on:
        raise ValidationError("答复日期不能早于交办日期。")
    before = _snapshot(complaint)
    complaint.answer, complaint.answered_on, complaint.answered_by = (
        text.strip(),
        answered_on,
        actor,
    )
    complaint.status = ComplaintStatus.ANSWERED
    _step(
        complaint,
        before=before,
        from_status=ComplaintStatus.ASSIGNED,
        kind=ComplaintEventKind.ANSWERED,
        actor=actor,
        note=text.strip()[:200],
        address=address,
    )
    key = f"hotline-answered:{complaint.pk}:{complaint.version}"
    notify_on_commit(
        settles=True,
        recipients=bureau_users(),
        concerns=complaint.assignee,
        kind=NotificationKind.COMPLAINT,
        title=f"热线工单已答复，待办结：{_label(complaint)}",
        url=_url(complaint),
        dedupe_key=key,
    )
    return complaint


@transaction.atomic
def complaint_return(
    *, actor, complaint: Complaint, version: int | None, reason: str, address: str | None = None
) -> Complaint:
    """The answer does not settle it: back to the assignee, the deadline unchanged."""
    require(may_manage(actor), BUREAU_ONLY)
    complaint = _lock(complaint, version)
    _refuse_unless(complaint, (ComplaintStatus.ANSWERED,), "退回")
    if len(reason.strip()) < 5:
        raise ValidationError("请写明退回原因（至少 5 个字）。")
    before = _snapshot(complaint)
    complaint.status = ComplaintStatus.ASSIGNED
    complaint.answered_on, complaint.answered_by = None, None
    _step(
        complaint,
        before=before,
        from_status=ComplaintStatus.ANSWERED,
        kind=ComplaintEventKind.RETURNED,
        actor=actor,
        note=reason.strip(),
        address=address,
    )
    recipients = _assignee_users(complaint)
    key = f"hotline-returned:{complaint.pk}:{complaint.version}"
    notify_on_commit(
        settles=True,
        recipients=recipients,
        concerns=complaint.assignee,
        kind=NotificationKind.COMPLAINT,
        title=f"热线工单答复被退回：{_label(complaint)}",
        body="区教体局督导室退回了答复，请登录平台查看退回原因并重新答复。",
        url=_url(complaint),
        dedupe_key=key,
    )
    return complaint


@transaction.atomic
def complaint_close(
    *,
    actor,
    complaint: Complaint,
    version: int | None,
    closed_on: dt.date,
    note: str = "",
    address: str | None = None,
) -> Complaint:
    """The bureau accepts the answer (and has told the caller): the complaint is closed."""
    require(may_manage(actor), BUREAU_ONLY)
    complaint = _lock(complaint, version)
    _refuse_unless(complaint, (ComplaintStatus.ANSWERED,), "办结")
    _not_future(closed_on, "办结日期")
    if closed_on < complaint.answered_on:
        raise ValidationError("办结日期不能早于答复日期。")
    before = _snapshot(complaint)
    complaint.status, complaint.closed_on = ComplaintStatus.CLOSED, closed_on
    complaint.close_note = note.strip()
    _step(
        complaint,
        before=before,
        from_status=ComplaintStatus.ANSWERED,
        kind=ComplaintEventKind.CLOSED,
        actor=actor,
        note=note.strip(),
        address=address,
    )
    transaction.on_commit(partial(settle, url=_url(complaint)))
    return complaint


def complaints_remind(*, today: dt.date) -> tuple[int, int]:
    """The daily job: "due soon" to the assignee, "overdue" to the assignee and the bureau.
    Keys name the complaint and its deadline: running twice sends nothing new."""
    calendar = WorkingCalendar.load(range(today.year - 1, today.year + 2))
    due_soon = overdue = 0
    bureau = list(bureau_users())
    open_ones = Complaint.objects.filter(status=ComplaintStatus.ASSIGNED).select_related(
        "assigned_unit", "assigned_department"
    )
    for complaint in open_ones:
        deadline = f"{complaint.due_on:%Y年%m月%d日}"
        if complaint.due_on < today:
            overdue += notify(
                recipients=[*_assignee_users(complaint), *bureau],
                concerns=complaint.assignee,
                kind=NotificationKind.COMPLAINT,
                title=f"热线工单已逾期：{_label(complaint)}（{complaint.assignee}）",
                body=f"答复期限为{deadline}，至今未答复。",
                url=_url(complaint),
                dedupe_key=f"hotline-overdue:{complaint.pk}:{complaint.due_on}",
            )
        elif calendar.working_days_between(today, complaint.due_on) <= due_soon_working_days():
            due_soon += notify(
                recipients=_assignee_users(complaint),
                concerns=complaint.assignee,
                kind=NotificationKind.COMPLAINT,
                title=f"热线工单即将到期：{_label(complaint)}",
                body=f"请于{deadline}前答复。",
                url=_url(complaint),
                dedupe_key=f"hotline-due-soon:{complaint.pk}:{complaint.due_on}",
            )
    send_pending_emails()
    return due_soon, overdue
