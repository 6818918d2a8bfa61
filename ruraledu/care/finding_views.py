"""四查三比对 pages: the counts per town and school, each working list (names shown by the
care rules, every child shown by name logged), the clear form, a case opened from a row, and
the bureau's start button with the run's progress."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, is_bureau
from ruraledu.accounts.scoping import can
from ruraledu.audit.utils import request_address
from ruraledu.core.schoolyear import current_school_year, year_from_request, year_param
from ruraledu.core.views import add_refusal

from . import forms, selectors, services
from .choices import FindingKind, ListKind
from .imports import IMPORTERS
from .jobs import cross_check_start
from .models import CrossCheckRun
from .views import log_subject_reads

OPENS_CASES = (FindingKind.NOT_ENROLLED, FindingKind.DROPOUT)


def finding_clear_names(user, finding) -> bool:
    """Names in clear: a role with personal-data rights where the child is placed; for a
    child with no school (placed at the town) the town's care roles, who must find the
    child, too."""
    if Reach(user, Action.VIEW_PERSONAL).covers(finding.unit.path):
        return True
    return finding.school_id is None and Reach(user, Action.CARE).covers(finding.unit.path)


def log_finding_reads(request, findings, purpose: str) -> None:
    log_subject_reads(request, (f"care.finding:{f.pk}" for f in findings), purpose)


class FindingOverviewView(LoginRequiredMixin, View):
    """Counts of each working list per town and school (numbers only, any role in scope);
    the bureau starts a run here."""

    def get(self, request):
        if not can(request.user, Action.VIEW):
            raise Http404("没有找到该页面。")
        year = year_from_request(request)
        return render(
            request,
            "care/finding_overview.html",
            {
                "year": year,
                "rows": selectors.dashboard_findings(user=request.user, year=year),
                "kinds": FindingKind.choices,
                "works": can(request.user, Action.CARE),
                "bureau": is_bureau(request.user),
                "runs": CrossCheckRun.objects.filter(year=year)[:5]
                if is_bureau(request.user)
                else [],
                "lists": [(IMPORTERS[k].spec.kind, ListKind(k).label) for k in ListKind],
            },
        )


class FindingListView(LoginRequiredMixin, View):
    def get(self, request, kind: str):
        if kind not in FindingKind.values or not can(request.user, Action.CARE):
            raise Http404("没有找到该页面。")
        year = year_from_request(request)
        unit = request.GET.get("unit", "")
        cleared = request.GET.get("cleared") == "1"
        findings = selectors.finding_list(
            user=request.user,
            year=year,
            kind=kind,
            unit_id=int(unit) if unit.isdecimal() else None,
            cleared=cleared,
        )
        page = Paginator(findings, 50).get_page(request.GET.get("page"))
        shown = []
        for finding in page.object_list:
            finding.clear = finding_clear_names(request.user, finding)
            if finding.clear:
                shown.append(finding)
        log_finding_reads(request, shown, "finding_list")
        return render(
            request,
            "care/finding_list.html",
            {
                "page_obj": page,
                "kind": kind,
                "kind_label": FindingKind(kind).label,
                "year": year,
                "unit": unit,
                "cleared": cleared,
                "opens_cases": kind in OPENS_CASES,
            },
        )


def _visible_finding(request, pk: int):
    finding = selectors.finding_get(user=request.user, pk=pk)
    if finding is None:
        raise Http404("没有找到该儿童。")
    return finding


class FindingClearView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        finding = _visible_finding(request, pk)
        return self.render_form(request, finding, forms.FindingClearForm())

    def post(self, request, pk: int):
        finding = _visible_finding(request, pk)
        form = forms.FindingClearForm(request.POST)
        if form.is_valid():
            try:
                services.finding_clear(
                    finding=finding,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    evidence=form.cleaned_data["evidence"],
                    address=request_address(request),
                )
            except PermissionDenied as error:
                raise Http404("没有找到该儿童。") from error
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, "已核销，下次比对时仍保持核销，除非该儿童情况发生变化。")
                return redirect(f"{_list_url(finding)}?year={finding.year}")
        return self.render_form(request, finding, form, status=400)

    @staticmethod
    def render_form(request, finding, form, status=200):
        finding.clear = finding_clear_names(request.user, finding)
        if finding.clear:
            log_finding_reads(request, [finding], "finding_view")
        return render(
            request,
            "care/finding_clear.html",
            {"finding": finding, "form": form},
            status=status,
        )


def _list_url(finding) -> str:
    return reverse("care:finding_list", args=[finding.kind])


class FindingOpenCaseView(LoginRequiredMixin, View):
    """Open the child's 一人一案 case from a list row (POST); a child already in an open case
    is taken to that case."""

    def post(self, request, pk: int):
        finding = _visible_finding(request, pk)
        try:
            case, created = services.finding_case_open(
                finding=finding,
                actor=request.user,
                on=timezone.localdate(),
                year=finding.year,
                address=request_address(request),
            )
        except PermissionDenied as error:
            raise Http404("没有找到该儿童。") from error
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(f"{_list_url(finding)}?year={finding.year}")
        if created:
            messages.success(request, f"已建档，请尽快指定{case.responsible}。")
        else:
            messages.info(request, "该儿童已有未结个案，已为您打开该个案，没有重复建档。")
        return redirect("care:case_detail", pk=case.pk)


class CrossCheckStartView(LoginRequiredMixin, View):
    def post(self, request):
        if not is_bureau(request.user):
            raise Http404("没有找到该页面。")
        run = cross_check_start(
            actor=request.user,
            year=year_param(request.POST.get("year")) or current_school_year(),
            address=request_address(request),
        )
        return redirect("care:cross_check_detail", pk=run.pk)


class CrossCheckDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        if not is_bureau(request.user):
            raise Http404("没有找到该页面。")
        run = get_object_or_404(CrossCheckRun, pk=pk)
        return render(request, "care/crosscheck_detail.html", {"run": run})
