"""Pages: the forecast overview (totals per school with intervals, backtest error, small
schools), one school's grades and classes, and the 编制 needs with the district's rules.
Each page shows one district's latest run (the city's bureau chooses the district with
`?unit=`); its bureau reruns it and sets its rules. Bureau and town offices only; a school or
a district outside the user's scope is a 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from ruraledu.accounts.choices import Action
from ruraledu.audit.utils import request_address
from ruraledu.core.params import int_param
from ruraledu.core.views import labelled_errors
from ruraledu.orgunits.districts import district_pick, districts, districts_covered

from . import forms, selectors, services, subjects
from .exports import subjects_workbook


def _units(request) -> tuple[list, list]:
    """The districts the user reads and those it runs (computes, sets the standard of), worked
    out from one read of the install's districts and kept on the request: a page and its
    redirect ask more than once."""
    cached = getattr(request, "_forecast_units", None)
    if cached is None:
        every = districts()
        cached = (
            selectors.forecast_units(request.user, every),
            districts_covered(request.user, Action.REVIEW, every),
        )
        request._forecast_units = cached
    return cached


def _district(request) -> dict:
    """The district the page shows (`?unit=` among those the user reads; the first by
    default), its latest run and rules, and whether the user is its bureau. `units` and
    `query` are empty where there is nothing to choose (a single-district install)."""
    selectors.require_view(request.user)
    units, run_units = _units(request)
    unit = district_pick(units, request.GET.get("unit"))
    several = len(units) > 1
    return {
        "unit": unit,
        "units": units if several else [],
        "query": f"?unit={unit.code}" if several else "",
        "bureau": unit in run_units,
        "run": selectors.run_latest(unit),
        "rule": selectors.rule_get(unit),
    }


def _written(request):
    """The district a bureau's post writes: the posted `unit` among its districts (another
    district's is a 404), or its only one; anyone else gets a 404."""
    _, units = _units(request)
    code = request.POST.get("unit")
    if not units or (len(units) > 1 and not code):
        raise Http404("没有找到该页面。")
    return district_pick(units, code)


def _back(request, name: str, unit):
    """Back to the page of the district written (named where the user reads several)."""
    url = reverse(name)
    if len(_units(request)[0]) > 1:
        url += f"?unit={unit.code}"
    return redirect(url)


class ForecastOverviewView(LoginRequiredMixin, View):
    def get(self, request):
        context = _district(request)
        run = context["run"]
        rows = selectors.forecast_schools(run=run, user=request.user) if run else []
        years = [y for y, *_ in rows[0].totals] if rows else []
        context.update(
            rows=rows,
            years=years,
            # schools small in the base year already are not ones that "will become" small
            small=[r for r in rows if r.small_from and not r.already_small],
            already_small=[r for r in rows if r.already_small],
            pending=selectors.run_pending(context["unit"]),
        )
        return render(request, "forecast/overview.html", context)


class ForecastRunView(LoginRequiredMixin, View):
    def post(self, request):
        unit = _written(request)
        try:
            services.forecast_run_request(actor=request.user, unit=unit)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "已开始在后台测算，完成后本页显示新的结果。")
        return _back(request, "forecast:overview", unit)


class SchoolForecastView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        # the school's district's latest run
        school = selectors.school_of(user=request.user, pk=pk)
        units, _ = _units(request)
        unit = next((u for u in units if school.org_unit.path.startswith(u.path)), None)
        run = selectors.run_latest(unit) if unit else None
        if run is None:
            raise Http404("尚未测算。")
        school, years, grades, backtest = selectors.school_detail(run=run, user=request.user, pk=pk)
        context = {"run": run, "school": school, "years": years, "grades": grades}
        context.update(backtest=backtest, query=f"?unit={unit.code}" if len(units) > 1 else "")
        return render(request, "forecast/school_detail.html", context)


class StaffingView(LoginRequiredMixin, View):
    def get(self, request):
        context = _district(request)
        run = context["run"]
        if run:
            year, lines, towns = selectors.staffing(run=run, user=request.user)
            context.update(year=year, lines=lines, towns=towns)
        if context["bureau"]:
            context["form"] = forms.StaffingRuleForm(instance=context["rule"])
        return render(request, "forecast/staffing.html", context)


class StaffingRuleView(LoginRequiredMixin, View):
    def post(self, request):
        unit = _written(request)
        form = forms.StaffingRuleForm(request.POST, instance=selectors.rule_get(unit))
        if form.is_valid():
            try:
                services.staffing_rule_set(
                    actor=request.user,
                    unit=unit,
                    address=request_address(request),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, "编制核定标准已保存。")
        else:
            for message in labelled_errors(form):
                messages.error(request, message)
        return _back(request, "forecast:staffing", unit)


class SubjectStaffingView(LoginRequiredMixin, View):
    """缺编/超编 by subject per school and town for next year."""

    def get(self, request):
        context = _district(request)
        run = context["run"]
        if run:
            year, lines, towns = selectors.subject_staffing(run=run, user=request.user)
            context.update(year=year, lines=lines, towns=towns)
        if context["bureau"]:
            context["hours"] = subjects.hours_text(context["rule"])
        return render(request, "forecast/subjects.html", context)


class SubjectExportView(LoginRequiredMixin, View):
    def get(self, request):
        run = _district(request)["run"]
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
        unit = _written(request)
        try:
            loads = {}
            for field, label in (
                ("primary_weekly_lessons", "小学教师标准周课时量"),
                ("junior_weekly_lessons", "初中教师标准周课时量"),
            ):
                raw = request.POST.get(field, "").strip()
                if (load := int_param(raw)) is None or not 1 <= load <= 40:
                    raise ValidationError(f"{label}应为 1 至 40 的整数，收到“{raw}”。")
                loads[field] = load
            services.staffing_rule_set(
                actor=request.user,
                unit=unit,
                address=request_address(request),
                lesson_hours=subjects.parse_hours(request.POST.get("hours", "")),
                **loads,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "学科课时和教师周课时量已保存。")
        return _back(request, "forecast:subjects", unit)
