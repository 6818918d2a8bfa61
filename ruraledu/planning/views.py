"""Pages of the least-cost plan: each district's bureau plans its own district, the install's
bureau each of its districts (anyone else gets a 404)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from ruraledu.accounts.choices import Action
from ruraledu.core.views import add_refusal
from ruraledu.orgunits.districts import districts_covered

from .choices import ScenarioStatus
from .exports import scenario_workbook
from .forms import ScenarioForm
from .inputs import DEFAULTS
from .models import Scenario
from .presenting import (
    coefficient_label,
    indicator_rows,
    moves_text,
    needs_text,
    verdict_text,
    years_text,
)
from .selectors import may_plan, scenario_get, scenario_list
from .services import scenario_create, scenario_run_request, scenario_update


class PlannerMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_plan(request.user):
            raise Http404("页面不存在")
        return super().dispatch(request, *args, **kwargs)


def _school_rows(result: dict) -> list[dict]:
    return [
        {
            **school,
            "needs": needs_text(school["adds"]),
            "moves": moves_text(school),
            "years": years_text(school) if len(result.get("year_costs", [])) > 1 else [],
            "verdict_before": verdict_text(school["before"]),
            "verdict_after": verdict_text(school["after"]),
            "indicators": indicator_rows(school),
        }
        for school in result.get("schools", [])
    ]


def _plan_text(school: dict | None) -> str:
    if school is None:
        return "—"
    return "；".join(t for t in (needs_text(school["adds"]), moves_text(school)) if t)


def _coefficients(result: dict) -> list[dict]:
    before = {(c["key"], c["part"]): c["cv"] for c in result.get("coefficients_before", [])}
    return [
        {**c, "label": coefficient_label(c), "before": before.get((c["key"], c["part"]))}
        for c in result.get("coefficients", [])
    ]


def _comparable(scenarios) -> list[tuple]:
    """(district, its scenarios) for each district with two scenarios or more: scenarios are
    compared school by school, so only within a district."""
    by_unit = {}
    for scenario in scenarios:
        by_unit.setdefault(scenario.unit_id, (scenario.unit, []))[1].append(scenario)
    groups = [group for group in by_unit.values() if len(group[1]) > 1]
    return sorted(groups, key=lambda group: group[0].code)


class ScenarioListView(PlannerMixin, TemplateView):
    template_name = "planning/scenario_list.html"

    def get_context_data(self, **kwargs):
        scenarios = scenario_list(user=self.request.user)
        return {
            **super().get_context_data(**kwargs),
            "scenarios": scenarios,
            "comparable": _comparable(scenarios),
            "several": len(districts_covered(self.request.user, Action.REVIEW)) > 1,
        }


class ScenarioFormView(PlannerMixin, View):
    template_name = "planning/scenario_form.html"

    def _scenario(self, pk):
        return scenario_get(user=self.request.user, pk=pk) if pk else None

    def _form(self, scenario, *args, **kwargs):
        # a scenario keeps its district; a new one is of the district chosen (or the only one)
        units = () if scenario else districts_covered(self.request.user, Action.REVIEW)
        return ScenarioForm(*args, units=units, **kwargs)

    def get(self, request, pk=None):
        scenario = self._scenario(pk)
        if scenario:
            initial = ScenarioForm.initial_from(scenario.name, scenario.year, scenario.inputs)
        else:
            initial = ScenarioForm.initial_from("", timezone.localdate().year - 1, DEFAULTS)
        return render(
            request,
            self.template_name,
            {"form": self._form(scenario, initial=initial), "scenario": scenario},
        )

    def post(self, request, pk=None):
        scenario = self._scenario(pk)
        form = self._form(scenario, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if scenario:
                    scenario = scenario_update(
                        actor=request.user,
                        scenario=scenario,
                        name=data["name"],
                        year=data["year"],
                        inputs=data["inputs"],
                    )
                else:
                    scenario = scenario_create(
                        actor=request.user,
                        unit=data["unit"],
                        name=data["name"],
                        year=data["year"],
                        inputs=data["inputs"],
                    )
            except ValidationError as exc:
                add_refusal(form, exc, Scenario)
            else:
                try:
                    scenario_run_request(actor=request.user, scenario=scenario)
                except ValidationError as refused:  # the same inputs saved and queued by another
                    messages.info(request, "方案已保存。" + "；".join(refused.messages))
                else:
                    messages.success(request, "方案已保存，正在后台求解。")
                return redirect("planning:scenario_detail", pk=scenario.pk)
        return render(request, self.template_name, {"form": form, "scenario": scenario}, status=400)


class ScenarioDetailView(PlannerMixin, TemplateView):
    template_name = "planning/scenario_detail.html"

    def get_context_data(self, **kwargs):
        scenario = scenario_get(user=self.request.user, pk=kwargs["pk"])
        result = scenario.result or {}
        return {
            **super().get_context_data(**kwargs),
            "scenario": scenario,
            "result": result,
            "schools": _school_rows(result),
            "coefficients": _coefficients(result),
            "pending": scenario.status in (ScenarioStatus.QUEUED, ScenarioStatus.RUNNING),
            "others": scenario_list(user=self.request.user)
            .filter(unit=scenario.unit_id)
            .exclude(pk=scenario.pk),
            "several": len(districts_covered(self.request.user, Action.REVIEW)) > 1,
        }


class ScenarioRunView(PlannerMixin, View):
    def post(self, request, pk):
        scenario = scenario_get(user=request.user, pk=pk)
        try:
            scenario_run_request(actor=request.user, scenario=scenario)
        except ValidationError as refused:  # a solve is queued or running already
            messages.info(request, "；".join(refused.messages))
        else:
            messages.success(request, "已开始重新求解。")
        return redirect("planning:scenario_detail", pk=scenario.pk)


class ScenarioExportView(PlannerMixin, View):
    def get(self, request, pk):
        scenario = scenario_get(user=request.user, pk=pk)
        if not scenario.result:
            raise Http404("方案尚未求解")
        response = HttpResponse(
            scenario_workbook(scenario),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename=scenario-{scenario.pk}.xlsx"
        return response


class ScenarioCompareView(PlannerMixin, TemplateView):
    template_name = "planning/scenario_compare.html"

    def get(self, request, *args, **kwargs):
        try:
            a, b = int(request.GET["a"]), int(request.GET["b"])
        except (KeyError, ValueError):
            raise Http404("请选择两个方案") from None
        # a scenario out of reach is a 404 before any comparison is judged
        self.pair = [scenario_get(user=request.user, pk=pk) for pk in (a, b)]
        left, right = self.pair
        if left.unit_id != right.unit_id:
            # each plans its own district's schools: there is no school to set beside another
            messages.error(
                request,
                f"只能比较同一区县的方案：“{left.name}”是{left.unit.name}的方案，"
                f"“{right.name}”是{right.unit.name}的方案，两区县的学校不同，无法逐校比较。",
            )
            return redirect("planning:scenario_list")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        pair = self.pair
        by_unit = [{s["unit"]: s for s in (x.result or {}).get("schools", [])} for x in pair]
        units = list(dict.fromkeys([*by_unit[0], *by_unit[1]]))
        rows = []
        for unit in units:
            left, right = by_unit[0].get(unit), by_unit[1].get(unit)
            if any(x and (x["adds"] or moves_text(x)) for x in (left, right)):
                rows.append(
                    {
                        "name": (left or right)["name"],
                        "left": _plan_text(left),
                        "right": _plan_text(right),
                        "left_cost": left["cost"] if left else None,
                        "right_cost": right["cost"] if right else None,
                    }
                )
        return {
            **super().get_context_data(**kwargs),
            "pair": pair,
            "rows": rows,
            "back": reverse("planning:scenario_list"),
        }
