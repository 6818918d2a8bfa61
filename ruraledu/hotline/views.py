"""Hotline pages: each parses input, calls one selector or service, and renders. A complaint
out of reach is a 404; a refused step shows its Chinese reason."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from ruraledu.audit.utils import request_address
from ruraledu.core.params import int_param
from ruraledu.core.views import StepRefused
from ruraledu.orgunits.models import Department, OrgUnit
from ruraledu.spreadsheets.base import Column
from ruraledu.spreadsheets.export import export_response

from . import selectors, services
from .choices import Channel, ComplaintStatus
from .permissions import HIDDEN, may_answer, may_manage, sees_caller


def _date(value, what: str = "日期") -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise ValidationError(f"请填写有效的{what}。") from None


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _units():
    return (
        OrgUnit.objects.filter(is_active=True, kind__in=["district", *services.ASSIGNABLE_KINDS])
        .only("pk", "name", "kind", "path")
        .order_by("path")
    )


def _year(value) -> int | None:
    year = int_param(value)
    return year if year is not None and 2000 <= year <= 2100 else None


# the export never holds the caller, whoever asks for it
EXPORT_COLUMNS = (
    Column("number", "工单号"),
    Column("received_on", "受理日期", kind="date"),
    Column("channel", "渠道", kind="choice", choices=tuple(Channel.choices)),
    Column("unit", "涉及学校或单位", width=24),
    Column("topic", "事项类别"),
    Column("question", "反映内容", width=40),
    Column("assignee", "承办单位", width=24),
    Column("due_on", "答复期限", kind="date"),
    Column("status", "状态", kind="choice", choices=tuple(ComplaintStatus.choices)),
    Column("answered_on", "答复日期", kind="date"),
    Column("in_time", "按时答复"),
    Column("answer", "答复内容", width=40),
)


def export_rows(complaints, today: dt.date):
    for c in complaints:
        in_time = c.answered_in_time
        yield {
            "number": f"#{c.pk}",
            "received_on": c.received_on,
            "channel": c.channel,
            "unit": c.unit.name,
            "topic": c.topic,
            "question": c.question,
            "assignee": str(c.assignee) if c.assignee else "",
            "due_on": c.due_on,
            "status": c.status,
            "answered_on": c.answered_on,
            "in_time": "" if in_time is None else ("是" if in_time else "否"),
            "answer": c.answer,
        }


class ComplaintListView(LoginRequiredMixin, View):
    """工单列表 with filters; Excel export without the caller; the 督导室 logs calls here."""

    def get(self, request):
        return self.show(request)

    @staticmethod
    def show(request, refused: StepRefused | None = None):
        """The list; after a refused log, with its reason on the log form and what was typed."""
        today = timezone.localdate()
        get = request.GET
        complaints = selectors.complaint_list(
            user=request.user,
            status=get.get("status", ""),
            channel=get.get("channel", ""),
            overdue=get.get("overdue") == "1",
            year=_year(get.get("year")),
            text=get.get("q", "").strip()[:50],
            today=today,
        )
        if get.get("format") == "xlsx" and not refused:
            return export_response(
                filename_zh="督学热线工单",
                columns=EXPORT_COLUMNS,
                rows=export_rows(complaints, today),
                sheet_title="督学热线工单",
            )
        manages = may_manage(request.user)
        return render(
            request,
            "hotline/complaint_list.html",
            {
                "complaints": complaints[:200],
                "total": complaints.count(),
                "today": today,
                "filters": get,
                "query": request.GET.urlencode(),
                "statuses": ComplaintStatus.choices,
                "channels": Channel.choices,
                "manages": manages,
                "units": _units() if manages else (),
                "refused": refused,
            },
            status=400 if refused else 200,
        )

    def post(self, request):
        if not may_manage(request.user):
            raise Http404("没有找到该页面。")
        post = request.POST
        unit = get_object_or_404(_units(), pk=int_param(post.get("unit")))
        try:
            complaint = services.complaint_log(
                actor=request.user,
                channel=post.get("channel", ""),
                received_on=_date(post.get("received_on"), "受理日期"),
                unit=unit,
                topic=post.get("topic", ""),
                question=post.get("question", ""),
                caller_name=post.get("caller_name", ""),
                caller_phone=post.get("caller_phone", ""),
                address=request_address(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            # the caller may have hung up: nothing typed is lost
            return self.show(request, StepRefused.of("log", exc, post))
        messages.success(request, f"已登记热线工单 #{complaint.pk}。")
        return redirect("hotline:complaint_detail", pk=complaint.pk)


class ComplaintDetailView(LoginRequiredMixin, View):
    """One complaint: what was asked, its steps, and the form for the step the user may take."""

    def get(self, request, pk):
        return self.show(request, selectors.complaint_get(user=request.user, pk=pk))

    @staticmethod
    def show(request, complaint, refused: StepRefused | None = None):
        """The page; after a refused step, with its reason on that step's form and what was
        typed (a stale one at the current version, so that saving again goes through)."""
        caller = None
        if sees_caller(request.user):
            caller = selectors.caller_read(
                user=request.user, complaint=complaint, address=request_address(request)
            )
        manages = may_manage(request.user)
        answers = may_answer(request.user, complaint)
        if refused:
            status = complaint.status
            shown = {
                "assign": manages
                and status in (ComplaintStatus.RECEIVED, ComplaintStatus.ASSIGNED),
                "answer": answers and status == ComplaintStatus.ASSIGNED,
                "close": manages and status == ComplaintStatus.ANSWERED,
                "return": manages and status == ComplaintStatus.ANSWERED,
            }
            refused.unless_shown(request, shown.get(refused.step, False))
        # the assign form offers the unit asked about, or what a refused assignment chose
        target = f"u{complaint.unit_id}"
        if refused and refused.step == "assign":
            target = refused.typed.get("assignee", "")
        return render(
            request,
            "hotline/complaint_detail.html",
            {
                "complaint": complaint,
                "caller": caller,
                "hidden": HIDDEN,
                "events": complaint.events.select_related("actor"),
                "manages": manages,
                "answers": answers,
                "units": _units() if manages else (),
                "departments": Department.objects.all() if manages else (),
                "today": timezone.localdate(),
                "overdue": complaint.is_overdue(timezone.localdate()),
                "assign_to": (target[:1], int_param(target[1:])),
                "refused": refused,
            },
            status=400 if refused else 200,
        )

    def post(self, request, pk):
        complaint = selectors.complaint_get(user=request.user, pk=pk)
        post, address = request.POST, request_address(request)
        common = {
            "actor": request.user,
            "complaint": complaint,
            "version": _version(request),
            "address": address,
        }
        try:
            match post.get("step"):
                case "assign":
                    unit = department = None
                    target = post.get("assignee", "")
                    if target.startswith("u"):
                        unit = get_object_or_404(_units(), pk=target[1:] or 0)
                    elif target.startswith("d"):
                        department = get_object_or_404(Department, pk=target[1:] or 0)
                    services.complaint_assign(
                        **common,
                        unit=unit,
                        department=department,
                        assigned_on=_date(post.get("assigned_on"), "交办日期"),
                    )
                case "answer":
                    services.complaint_answer(
                        **common,
                        text=post.get("text", ""),
                        answered_on=_date(post.get("answered_on"), "答复日期"),
                    )
                case "return":
                    services.complaint_return(**common, reason=post.get("reason", ""))
                case "close":
                    services.complaint_close(
                        **common,
                        closed_on=_date(post.get("closed_on"), "办结日期"),
                        note=post.get("note", ""),
                    )
                case _:
                    raise Http404("没有找到该页面。")
            messages.success(request, "已保存。")
        except (ValidationError, PermissionDenied) as exc:
            refused = StepRefused.of(post.get("step"), exc, post)
            # as it is now: another's step may have moved it on
            return self.show(request, selectors.complaint_get(user=request.user, pk=pk), refused)
        return redirect("hotline:complaint_detail", pk=complaint.pk)
