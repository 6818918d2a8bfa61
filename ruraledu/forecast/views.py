"""Pages: the forecast overview (totals per school with intervals, backtest error, small
schools), one school's grades and classes, and the 编制 needs with the bureau's rules.
Bureau and town offices only; a school outside the user's scope is a 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from ruraledu.accounts.policy import is_bureau
from ruraledu.audit.utils import request_address
from ruraledu.core.views import labelled_errors

from . import forms, selectors, services, subjects
from .exports import subjects_workbook


def _run_or_none(request):
    selectors.require_view(request.user)
    return selectors.run_latest()


class ForecastOverviewView(LoginRequiredMixin, View):
    def get(self, request):
        run = _run_or_none(request)
        rows = selectors.forecast_schools(run=run, user=request.user) if run else []
        years = [y for y, *_ in rows[0].totals] if rows else []
        return render(
            request,
            "forecast/overview.html",
            {
                "run": run,
                "rows": rows,
                "years": years,
                "small": [r for r in rows if r.small_from],
                "bureau": is_bureau(request.user),
                "rule": selectors.rule_get(),
                "pending": selectors.run_pending(),
            },
        )


class ForecastRunView(LoginRequiredMixin, View):
    def post(self, request):
        if not is_bureau(request.user):
            raise Http404("没有找到该页面。")
        try:
            services.forecast_run_request(actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "已开始在后台测算，完成后本页显示新的结果。")
        return redirect("forecast:overview")


class SchoolForecastView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        run = _run_or_none(request)
        if run is None:
            raise Http404("尚未测算。")
        school, years, grades, backtest = selectors.school_detail(run=run, user=request.user, pk=pk)
        return render(
            request,
            "forecast/school_detail.html",
            {"run": run, "school": school, "years": years, "grades": grades, "backtest": backtest},
        )


class StaffingView(LoginRequiredMixin, View):
    def get(self, request):
        run = _run_or_none(request)
        context = {"run": run, "bureau": is_bureau(request.user), "rule": selectors.rule_get()}
        if run:
            year, lines, towns = selectors.staffing(run=run, user=request.user)
            context.update(year=year, lines=lines, towns=towns)
        if context["bureau"]:
            context["form"] = forms.StaffingRuleForm(instance=context["rule"])
        return render(request, "forecast/staffing.html", context)


class StaffingRuleView(LoginRequiredMixin, View):
    def post(self, request):
        if not is_bureau(request.user):
            raise Http404("没有找到该页面。")
        form = forms.StaffingRuleForm(request.POST, instance=selectors.rule_get())
        if form.is_valid():
            try:
                services.staffing_rule_set(
                    actor=request.user, address=request_address(request), **form.cleaned_data
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, "编制核定标准已保存。")
        else:
            for message in labelled_errors(form):
                messages.error(request, message)
        return redirect("forecast:staffing")


class SubjectStaffingView(LoginRequiredMixin, View):
    """缺编/超编 by subject per school and town for next year."""

    def get(self, request):
        run = _run_or_none(request)
        rule = selectors.rule_get()
        context = {"run": run, "bureau": is_bureau(request.user), "rule": rule}
        if run:
            year, lines, towns = selectors.subject_staffing(run=run, user=request.user)
            context.update(year=year, lines=lines, towns=towns)
        if context["bureau"]:
            context["hours"] = subjects.hours_text(rule)
        return render(request, "forecast/subjects.html", context)


class SubjectExportView(LoginRequiredMixin, View):
    def get(self, request):
        run = _run_or_none(request)
        if run is None:
            raise Http404("尚未测算。")
        year, lines, towns = selectors.subject_staffing(run=run, user=request.user)
        response = HttpResponse(
            subjects_workbook(year, lines, towns),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename=subject-staffing-{year}.xlsx"
        return response


class SubjectRuleView(LoginRequiredMixin, View):
    def post(self, request):
        if not is_bureau(request.user):
            raise Http404("没有找到该页面。")
        try:
            loads = {}
            for field, label in (
                ("primary_weekly_lessons", "小学教师标准周课时量"),
                ("junior_weekly_lessons", "初中教师标准周课时量"),
            ):
                raw = request.POST.get(field, "").strip()
                if not raw.isdigit() or not 1 <= int(raw) <= 40:
                    raise ValidationError(f"{label}应为 1 至 40 的整数，收到“{raw}”。")
                loads[field] = int(raw)
            services.staffing_rule_set(
                actor=request.user,
                address=request_address(request),
                lesson_hours=subjects.parse_hours(request.POST.get("hours", "")),
                **loads,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "学科课时和教师周课时量已保存。")
        return redirect("forecast:subjects")
