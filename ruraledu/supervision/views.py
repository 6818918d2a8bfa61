"""Supervision pages: each parses input, calls one service or selector, and renders. Out of
reach is a 404 (ensure_visible); a refused step shows its Chinese reason."""

import datetime as dt
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from ruraledu.audit.utils import request_address
from ruraledu.core.files import attachment
from ruraledu.core.params import int_param
from ruraledu.core.schoolyear import current_school_year, semester_of, year_not_started
from ruraledu.core.views import StepRefused
from ruraledu.orgunits.models import School
from ruraledu.spreadsheets.base import Column
from ruraledu.spreadsheets.export import export_response

from . import selectors, services
from .choices import PENDING_STATUSES, ItemStatus, Verdict
from .models import (
    AnswerEvidence,
    Finding,
    RectificationItem,
    RectificationNotice,
    Visit,
    VisitKind,
    VisitPhoto,
)
from .overview import inspector_schools
from .permissions import ensure_visible, may_answer, may_configure, may_observe, may_supervise


def _date(value: str, default: dt.date | None = None, what: str = "日期") -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        if default is not None:
            return default
        raise ValidationError(f"请填写有效的{what}。") from None


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


class SupervisionHomeView(LoginRequiredMixin, View):
    """My schools' visits, open items and (for researchers) 听课 progress this semester."""

    def get(self, request):
        return self.show(request)

    @staticmethod
    def show(request, refused: StepRefused | None = None):
        """The page; after a refused new visit or 听课, with its reason and what was typed."""
        today = timezone.localdate()
        year, semester = semester_of(today)
        schools = School.objects.for_user(request.user, "supervise").select_related("org_unit")
        # "my schools" links to the user's own 挂牌 page, which exists only for an inspector
        # who holds a current assignment (the bureau may supervise without one)
        assigned = inspector_schools(user=request.user, inspector=request.user, today=today)
        observe = School.objects.for_user(request.user, "observe").select_related("org_unit")
        if refused:
            shown = {"visit": schools.exists(), "observation": observe.exists()}
            refused.unless_shown(request, shown.get(refused.step, False))
        progress = selectors.observation_progress(user=request.user, year=year, semester=semester)
        # today's school year not started on the platform: the links are still last year's
        waiting = not progress and year_not_started()
        if waiting and not selectors.observation_progress(
            user=request.user, year=current_school_year(), semester=semester
        ):
            waiting = None
        return render(
            request,
            "supervision/home.html",
            {
                "visits": selectors.visit_list(user=request.user)[:20],
                "items": selectors.item_list(user=request.user, status="open")[:50],
                "supervised": schools,
                "assigned": assigned.exists(),
                "observed": observe,
                # the lesson page only for one who has a school to record a lesson at
                "records_lessons": services.lesson_schools(request.user).exists(),
                "kinds": VisitKind.objects.filter(active=True),
                "configures": may_configure(request.user),
                "progress": progress,
                "progress_waiting": waiting,
                "today": timezone.localdate().isoformat(),
                "refused": refused,
            },
            status=400 if refused else 200,
        )


class VisitCreateView(LoginRequiredMixin, View):
    def post(self, request):
        school = get_object_or_404(School, pk=int_param(request.POST.get("school")))
        ensure_visible(request.user, school)
        kind = get_object_or_404(VisitKind, pk=int_param(request.POST.get("kind")))
        try:
            visit = services.visit_create(
                actor=request.user,
                school=school,
                kind=kind,
                visited_on=_date(request.POST.get("visited_on")),
                team=request.POST.get("team", ""),
            )
        except (ValidationError, PermissionDenied) as exc:
            return SupervisionHomeView.show(request, StepRefused.of("visit", exc, request.POST))
        return redirect("supervision:visit_detail", pk=visit.pk)


def _visit(request, pk) -> Visit:
    visit = get_object_or_404(
        Visit.objects.select_related("school__org_unit", "checklist", "kind"), pk=pk
    )
    ensure_visible(request.user, visit.school)
    return visit


def _has_item(finding: Finding) -> bool:
    # the reverse one-to-one raises, rather than gives None, for a finding not yet an item
    return hasattr(finding, "item")


class VisitDetailView(LoginRequiredMixin, View):
    """The visit form on a phone: verdicts, findings, photos, sign-off; items and notice."""

    def get(self, request, pk):
        return self.show(request, _visit(request, pk))

    @staticmethod
    def show(request, visit, refused: StepRefused | None = None):
        """The page; after a refused step, with its reason and what was typed into it."""
        verdicts = {v.item_id: v for v in visit.verdicts.all()}
        editable = not visit.is_locked and may_supervise(request.user, visit.school)
        if refused and refused.step == "save" and editable:
            # the refused save's entries, not the stored ones
            verdicts = {
                item_id: SimpleNamespace(
                    verdict=refused.typed.get(f"verdict_{item_id}", ""),
                    note=refused.typed.get(f"note_{item_id}", ""),
                )
                for item_id in visit.checklist.items.values_list("pk", flat=True)
            }
            visit.summary = refused.typed.get("summary", "")
            visit.team = refused.typed.get("team", "")
        rows = [(item, verdicts.get(item.pk)) for item in visit.checklist.items.all()]
        findings = visit.findings.select_related("item").all()
        supervises = may_supervise(request.user, visit.school)
        # the notice form only with an item to issue: an empty one answers nothing but a refusal
        issuable = [f.item for f in findings if _has_item(f) and f.item.status == ItemStatus.OPEN]
        if refused:
            shown = {
                "item": supervises
                and any(
                    str(f.pk) == refused.typed.get("finding") and not _has_item(f) for f in findings
                ),
                "notice": supervises and visit.is_locked and bool(issuable),
            }
            refused.unless_shown(request, shown.get(refused.step, editable))
        return render(
            request,
            "supervision/visit_detail.html",
            {
                "visit": visit,
                "rows": rows,
                "verdict_choices": Verdict.choices,
                "findings": findings,
                "issuable": issuable,
                "unlisted": any(not _has_item(f) for f in findings),
                "photos": visit.photos.all(),
                "editable": editable,
                "supervises": supervises,
                "today": timezone.localdate().isoformat(),
                # item_create's rule: the deadline falls after the visit
                "deadline_min": (visit.visited_on + dt.timedelta(days=1)).isoformat(),
                "refused": refused,
            },
            status=400 if refused else 200,
        )


class VisitStepView(LoginRequiredMixin, View):
    """One POST per step, each calling one service."""

    def post(self, request, pk, step):
        visit = _visit(request, pk)
        user, post, address = request.user, request.POST, request_address(request)
        try:
            if step == "save":
                verdicts = {
                    item.pk: (post.get(f"verdict_{item.pk}", ""), post.get(f"note_{item.pk}", ""))
                    for item in visit.checklist.items.all()
                }
                services.visit_update(
                    actor=user,
                    visit=visit,
                    version=_version(request),
                    summary=post.get("summary", ""),
                    team=post.get("team", ""),
                    verdicts=verdicts,
                    address=address,
                )
                messages.success(request, "已保存。")
            elif step == "finding":
                services.finding_add(
                    actor=user, visit=visit, area=post.get("area", ""), text=post.get("text", "")
                )
            elif step == "photo":
                upload = request.FILES.get("photo")
                if upload is None:
                    raise ValidationError("请选择照片。")
                services.photo_add(
                    actor=user,
                    visit=visit,
                    data=upload.read(),
                    filename=upload.name,
                    caption=post.get("caption", ""),
                    client_key=post.get("client_key", ""),
                    address=address,
                )
            elif step == "sign-off":
                services.visit_sign_off(
                    actor=user,
                    visit=visit,
                    version=_version(request),
                    principal_name=post.get("principal_name", ""),
                    acknowledged=post.get("acknowledged") == "on",
                    address=address,
                )
                messages.success(request, "督导记录已签字确认并锁定。")
            elif step == "item":
                finding = get_object_or_404(Finding, pk=int_param(post.get("finding")), visit=visit)
                services.item_create(
                    actor=user,
                    finding=finding,
                    description=post.get("description", ""),
                    deadline=_date(post.get("deadline"), what="整改期限"),
                    responsible=post.get("responsible", ""),
                    rule=post.get("rule", ""),
                )
            elif step == "notice":
                items = list(
                    RectificationItem.objects.filter(
                        finding__visit=visit, pk__in=map(int_param, post.getlist("items"))
                    )
                )
                notice = services.notice_issue(
                    actor=user,
                    items=items,
                    issued_on=_date(post.get("issued_on"), timezone.localdate()),
                    address=address,
                )
                messages.success(request, f"已下发整改通知书 {notice.label}。")
                return redirect("supervision:notice_print", pk=notice.pk)
            else:
                raise Http404("没有找到该页面。")
        except (ValidationError, PermissionDenied) as exc:
            return VisitDetailView.show(
                request, _visit(request, pk), StepRefused.of(step, exc, post)
            )
        return redirect("supervision:visit_detail", pk=visit.pk)


class PhotoView(LoginRequiredMixin, View):
    def get(self, request, pk):
        photo = get_object_or_404(
            VisitPhoto.objects.select_related("visit__school__org_unit"), pk=pk
        )
        ensure_visible(request.user, photo.visit.school)
        return FileResponse(photo.file.open("rb"), content_type="image/jpeg")


class NoticePrintView(LoginRequiredMixin, View):
    """The 整改通知书, laid out for A4."""

    def get(self, request, pk):
        notice = get_object_or_404(
            RectificationNotice.objects.select_related("school__org_unit", "visit"), pk=pk
        )
        ensure_visible(request.user, notice.school)
        return render(
            request,
            "supervision/notice_print.html",
            {"notice": notice, "items": notice.items.order_by("pk")},
        )


class ItemDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return self.show(request, pk)

    @staticmethod
    def show(request, pk, refused: StepRefused | None = None):
        item = get_object_or_404(
            RectificationItem.objects.select_related("school__org_unit", "notice"), pk=pk
        )
        ensure_visible(request.user, item.school)
        answers_here = may_answer(request.user, item.school)
        verifies = may_supervise(request.user, item.school)
        if refused:
            answered = verifies and item.status == ItemStatus.ANSWERED
            refused.unless_shown(
                request,
                answers_here and item.status in PENDING_STATUSES
                if refused.step == "answer"
                else answered,
            )
        return render(
            request,
            "supervision/item_detail.html",
            {
                "item": item,
                "answers": item.answers.prefetch_related("evidence"),
                "events": item.events.select_related("actor"),
                "answers_here": answers_here,
                "verifies": verifies,
                "today": timezone.localdate().isoformat(),
                "refused": refused,
            },
            status=400 if refused else 200,
        )

    def post(self, request, pk):
        item = get_object_or_404(
            RectificationItem.objects.select_related("school__org_unit"), pk=pk
        )
        ensure_visible(request.user, item.school)
        step, post, address = request.POST.get("step"), request.POST, request_address(request)
        try:
            if step == "answer":
                files = [(f.read(), f.name) for f in request.FILES.getlist("evidence")]
                services.item_answer(
                    actor=request.user,
                    item=item,
                    version=_version(request),
                    text=post.get("text", ""),
                    files=files,
                    address=address,
                )
            elif step == "close":
                services.item_close(
                    actor=request.user,
                    item=item,
                    version=_version(request),
                    on=_date(post.get("on"), timezone.localdate()),
                    note=post.get("note", ""),
                    address=address,
                )
            elif step == "return":
                services.item_return(
                    actor=request.user,
                    item=item,
                    version=_version(request),
                    reason=post.get("reason", ""),
                    address=address,
                )
            else:
                raise Http404("没有找到该页面。")
            messages.success(request, "已保存。")
        except (ValidationError, PermissionDenied) as exc:
            return self.show(request, item.pk, StepRefused.of(step, exc, post))
        return redirect("supervision:item_detail", pk=item.pk)


LEDGER_COLUMNS = (
    Column("town", "镇街"),
    Column("school", "学校", width=24),
    Column("area", "领域"),
    Column("description", "整改事项", width=40),
    Column("notice", "整改通知书", width=22),
    Column("deadline", "整改期限", kind="date"),
    Column("status", "状态", kind="choice", choices=tuple(ItemStatus.choices)),
    Column("overdue", "逾期天数", kind="int"),
    Column("escalation", "升级情况"),
)


def days_overdue(item, today: dt.date) -> int | None:
    """Days past the deadline of an item the school still has to work on (as escalation
    counts it); None when not due yet, answered or closed."""
    if item.status in PENDING_STATUSES and item.deadline < today:
        return (today - item.deadline).days
    return None


def _ledger_rows(items):
    today = timezone.localdate()
    for item in items:
        yield {
            "town": item.school.org_unit.parent.name if item.school.org_unit.parent else "",
            "school": item.school.org_unit.name,
            "area": item.area,
            "description": item.description,
            "notice": item.notice.label if item.notice else "",
            "deadline": item.deadline,
            "status": item.status,
            "status_label": item.get_status_display(),  # the page's; the export maps the code
            "overdue": days_overdue(item, today),
            "escalation": item.get_escalation_display(),
        }


class LedgerView(LoginRequiredMixin, View):
    """问题台账: every item in the user's reach by school, area, state and days overdue;
    Excel export."""

    def get(self, request):
        status = request.GET.get("status", "")
        items = selectors.item_list(user=request.user, status=status)
        if request.GET.get("format") == "xlsx":
            return export_response(
                filename_zh="问题台账",
                columns=LEDGER_COLUMNS,
                rows=_ledger_rows(items),
                sheet_title="问题台账",
            )
        return render(
            request,
            "supervision/ledger.html",
            {
                "rows": list(_ledger_rows(items)),
                "status": status,
                "statuses": ItemStatus.choices,
            },
        )


class ObservationCreateView(LoginRequiredMixin, View):
    """听课 on a phone, at one of the researcher's linked schools."""

    def post(self, request):
        school = get_object_or_404(
            School.objects.select_related("org_unit"), pk=int_param(request.POST.get("school"))
        )
        if not may_observe(request.user, school):
            raise Http404("没有找到该学校。")
        post = request.POST
        try:
            services.observation_record(
                actor=request.user,
                school=school,
                held_on=_date(post.get("held_on")),
                class_name=post.get("class_name", ""),
                subject=post.get("subject", ""),
                teacher_name=post.get("teacher_name", ""),
                title=post.get("title", ""),
                rating=post.get("rating", ""),
                comments=post.get("comments", ""),
                follow_up=post.get("follow_up", ""),
                address=request_address(request),
            )
            messages.success(request, "听课记录已保存。")
        except (ValidationError, PermissionDenied) as exc:
            return SupervisionHomeView.show(request, StepRefused.of("observation", exc, post))
        return redirect("supervision:home")


class EvidenceDownloadView(LoginRequiredMixin, View):
    """A school's evidence file goes out only here, scoped like its item, as an attachment."""

    def get(self, request, pk):
        evidence = get_object_or_404(
            AnswerEvidence.objects.select_related("answer__item__school__org_unit"), pk=pk
        )
        ensure_visible(request.user, evidence.answer.item.school)
        return attachment(
            evidence.file, filename=evidence.original_name, content_type=evidence.content_type
        )
