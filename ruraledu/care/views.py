"""Care case pages: the overview (counts only), the list and a case's page (names, each read
logged), the step forms (each calls one service) and the printable 限期返校通知书."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import is_bureau
from ruraledu.accounts.scoping import can
from ruraledu.audit.personal_access import access_log
from ruraledu.audit.utils import request_address
from ruraledu.core import crypto
from ruraledu.core.schoolyear import current_school_year
from ruraledu.core.versions import refusal_messages
from ruraledu.core.views import add_refusal
from ruraledu.students.models import StudentPerson

from . import forms, selectors, services
from .choices import (
    ESCALATED_STATUSES,
    OUTCOME_STATUSES,
    WORKING_STATUSES,
    CaseStatus,
)
from .models import ReturnNotice
from .permissions import (
    clear_names,
    ensure_visible,
    may_close_escalated,
    may_escalate,
    may_print_notice,
    may_work,
    may_write_plan,
)
from .services.outcomes import OUTCOME_REASON


def log_subject_reads(request, subjects, purpose: str) -> None:
    """One access row per subject (e.g. "care.dropoutcase:7") whose name was shown: the
    bureau reads them per subject."""
    access_log(
        user=request.user, subjects=subjects, purpose=purpose, address=request_address(request)
    )


def log_reads(request, cases, purpose: str) -> None:
    """One access row per case whose child's name was shown."""
    log_subject_reads(request, (f"care.dropoutcase:{case.pk}" for case in cases), purpose)


def _require_care(user) -> None:
    if not can(user, Action.CARE):
        raise Http404("没有找到该页面。")


class CaseOverviewView(LoginRequiredMixin, View):
    """常态清零: open cases per town with their ages; counts only, for every role in scope."""

    def get(self, request):
        context = selectors.dashboard_open_cases(user=request.user)
        context["works_cases"] = can(request.user, Action.CARE)
        if context["works_cases"]:
            context["neglected"] = selectors.neglected_cases(user=request.user)[:100]
        context["bureau"] = is_bureau(request.user)
        return render(request, "care/case_overview.html", context)


STATUS_FILTERS = {
    "": ("未结个案", lambda qs: qs.exclude(status=CaseStatus.CLOSED)),
    "neglected": ("疏于跟进", lambda qs: qs.filter(neglected=True)),
    "overdue": ("已逾期", lambda qs: qs.filter(overdue=True)),
    "escalated": (
        "已升级",
        lambda qs: qs.filter(Q(status__in=ESCALATED_STATUSES) | Q(escalation__gt=0)).exclude(
            status=CaseStatus.CLOSED
        ),
    ),
    "closed": ("已结案", lambda qs: qs.filter(status=CaseStatus.CLOSED)),
}


class CaseListView(LoginRequiredMixin, View):
    def get(self, request):
        _require_care(request.user)
        show = request.GET.get("show", "")
        if show not in STATUS_FILTERS:
            show = ""
        cases = STATUS_FILTERS[show][1](selectors.case_list(user=request.user))
        page = Paginator(cases.order_by("opened_on", "pk"), 50).get_page(request.GET.get("page"))
        shown = []
        for case in page.object_list:
            case.clear = clear_names(request.user, case)
            if case.clear:
                shown.append(case)
        log_reads(request, shown, "case_list")
        return render(
            request,
            "care/case_list.html",
            {
                "page_obj": page,
                "show": show,
                "filters": {k: label for k, (label, _) in STATUS_FILTERS.items()},
            },
        )


class CaseOpenView(LoginRequiredMixin, View):
    """Open a case for a pupil found by ID number and name (the roster's blind index)."""

    def get(self, request):
        _require_care(request.user)
        return render(request, "care/case_open.html", {"form": forms.CaseOpenForm()})

    def post(self, request):
        _require_care(request.user)
        form = forms.CaseOpenForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            person = StudentPerson.objects.filter(
                id_index=crypto.blind_index(data["id_number"]), name=data["name"].strip()
            ).first()
            try:
                if person is None:
                    raise PermissionDenied
                case, created = services.case_open(
                    person=person,
                    category=data["category"],
                    source=data["source"],
                    opened_on=data["opened_on"],
                    actor=request.user,
                    year=current_school_year(),
                    address=request_address(request),
                )
            except PermissionDenied:
                # the same words whether the child is unknown or another school's
                form.add_error(None, "该学生不存在或不在您的范围内：请核对身份证号和姓名。")
            except ValidationError as error:
                # the model's full_clean names its own fields (none of them on this form)
                add_refusal(form, error)
            else:
                if created:
                    messages.success(request, f"已建档，请尽快指定{case.responsible}。")
                else:
                    messages.info(request, "该学生已有未结个案，已为您打开该个案，没有重复建档。")
                return redirect("care:case_detail", pk=case.pk)
        return render(request, "care/case_open.html", {"form": form})


def _visible_case(request, pk: int):
    case = selectors.case_list(user=request.user).filter(pk=pk).first()
    if case is None:
        raise Http404("没有找到该个案。")
    ensure_visible(request.user, case)
    return case


def _step_forms(user, case) -> dict:
    """The forms of the steps this user may take on the case now, prefilled."""
    initial = {"version": case.version}
    steps = {}
    works = may_work(user, case)
    if works and case.status in (CaseStatus.FOUND, *WORKING_STATUSES):
        steps["assign"] = forms.AssignForm(
            initial={
                **initial,
                "teacher_name": case.teacher_name,
                "village_cadre": case.village_cadre,
            },
            prefix="assign",
            at_school=case.school_id is not None,
        )
        # the plan's words go with the name: a viewer who sees the name masked is neither
        # shown them in the form nor offered to write one (the school writes the plan)
        if may_write_plan(user, case):
            steps["plan"] = forms.PlanForm(initial={**initial, "plan": case.plan}, prefix="plan")
    if works and case.status in WORKING_STATUSES:
        steps["contact"] = forms.ContactForm(initial=initial, prefix="contact")
    resolvable = case.status == CaseStatus.CONTACTING or (
        case.status in ESCALATED_STATUSES and may_escalate(user, case)
    )
    if works and resolvable:
        steps["resolve"] = forms.ResolveForm(initial=initial, prefix="resolve")
    if may_escalate(user, case) and case.status in (
        CaseStatus.CONTACTING,
        CaseStatus.ESCALATED_TOWN,
    ):
        steps["escalate"] = forms.EscalateForm(initial=initial, prefix="escalate")
    closable = (
        may_close_escalated(user)
        if case.status in ESCALATED_STATUSES
        else works and case.status != CaseStatus.CLOSED
    )
    if closable:
        reason = OUTCOME_REASON.get(case.status, "")
        steps["close"] = forms.CloseForm(initial={**initial, "reason": reason}, prefix="close")
    return steps


STEP_LABELS = {
    "assign": "指定责任人",
    "plan": "劝返方案",
    "contact": "记录家访、电话或劝返",
    "resolve": "登记劝返结果",
    "escalate": "上报升级",
    "close": "结案",
}


class CaseDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        case = _visible_case(request, pk)
        return self.render_case(request, case, _step_forms(request.user, case))

    @staticmethod
    def render_case(request, case, steps, status=200, file_form=None):
        case.clear = clear_names(request.user, case)
        # a masked name is not a read of personal data (as on the lists)
        log_reads(request, [case] if case.clear else [], "case_view")
        enrolment = case.person.enrolments.order_by("-year").first()
        return render(
            request,
            "care/case_detail.html",
            {
                "case": case,
                "enrolment": enrolment,
                "events": case.events.select_related("actor"),
                "contacts": case.contacts.all(),
                # offered only to those the print page opens for (a school gets a 404)
                "notices": case.notices.select_related("town")
                if may_print_notice(request.user, case)
                else [],
                "files": case.files.select_related("uploaded_by"),
                "file_form": (file_form or forms.CaseFileForm(initial={"version": case.version}))
                if may_add_files(request.user, case)
                else None,
                "bureau": is_bureau(request.user),
                # a step refused for want of the plan says so before anyone fills it in
                "steps": [
                    (key, STEP_LABELS[key], form, services.plan_missing(case, key))
                    for key, form in steps.items()
                ],
                "outcome_statuses": OUTCOME_STATUSES,
            },
            status=status,
        )


def may_add_files(user, case) -> bool:
    return case.is_open and (may_work(user, case) or may_escalate(user, case))


def _run(step: str, case, user, data: dict, address):
    common = {
        "case": case,
        "actor": user,
        "version": data["version"],
        "on": data["on"],
        "address": address,
    }
    if step == "assign":
        return services.case_assign(
            **common, teacher_name=data["teacher_name"], village_cadre=data["village_cadre"]
        )
    if step == "plan":
        return services.case_plan_set(**common, plan=data["plan"])
    if step == "contact":
        return services.case_contact_add(
            **common,
            kind=data["kind"],
            who=data["who"],
            outcome=data["outcome"],
            next_step=data["next_step"],
        )
    if step == "resolve":
        return services.case_resolve(
            **common,
            outcome=data["outcome"],
            placement_note=data["placement_note"],
            certificate_number=data["certificate_number"],
            certificate_issuer=data["certificate_issuer"],
            note=data["note"],
        )
    if step == "escalate":
        return services.case_escalate(
            **common, guardian=data["guardian"], procedure=data["procedure"]
        )
    return services.case_close(**common, reason=data["reason"], note=data["note"])


FORMS = {
    "assign": forms.AssignForm,
    "plan": forms.PlanForm,
    "contact": forms.ContactForm,
    "resolve": forms.ResolveForm,
    "escalate": forms.EscalateForm,
    "close": forms.CloseForm,
}
DONE = {
    "assign": "已指定责任人。",
    "plan": "劝返方案已保存。",
    "contact": "联系记录已保存。",
    "resolve": "劝返结果已登记，请核实后结案。",
    "escalate": "已上报升级。",
    "close": "个案已结案。",
}


class CaseStepView(LoginRequiredMixin, View):
    """One step of a case (POST only): the form's shape, then the service decides."""

    def post(self, request, pk: int, step: str):
        if step not in FORMS:
            raise Http404
        case = _visible_case(request, pk)
        extra = {"at_school": case.school_id is not None} if step == "assign" else {}
        form = FORMS[step](request.POST, prefix=step, **extra)
        if form.is_valid():
            try:
                _run(step, case, request.user, form.cleaned_data, request_address(request))
            except PermissionDenied as error:
                raise Http404("没有找到该个案。") from error
            except ValidationError as error:
                for message in refusal_messages(form, error):
                    form.add_error(None, message)
            else:
                messages.success(request, DONE[step])
                return redirect("care:case_detail", pk=case.pk)
        steps = _step_forms(request.user, case)
        steps[step] = form
        return CaseDetailView.render_case(request, case, steps, status=400)


class NoticePrintView(LoginRequiredMixin, View):
    """The town's 限期返校通知书 laid out for A4, with the child's name in clear: a care role of
    the town (or the bureau) only; each print is logged."""

    def get(self, request, pk: int):
        notice = get_object_or_404(
            ReturnNotice.objects.select_related("case__person", "case__town", "case__unit", "town"),
            pk=pk,
        )
        case = notice.case
        if not may_print_notice(request.user, case):
            raise Http404("没有找到该通知书。")
        log_reads(request, [case], "notice_print")
        school = case.school.org_unit.name if case.school_id else ""
        return render(
            request,
            "care/notice_print.html",
            {"notice": notice, "case": case, "school": school},
        )
