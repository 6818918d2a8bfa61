"""Pages of 走教 scenarios: each of an area (学区 or town) of a district its bureau plans, or the
city's bureau above it (anyone else gets a 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from ruraledu.core.views import add_refusal

from .exports import travel_workbook
from .models import TravelScenario
from .travel_data import SCARCE
from .travel_forms import TravelForm
from .travel_services import areas_of, travel_create, travel_lock
from .views import PlannerMixin


def travel_list(user):
    return TravelScenario.objects.filter(area__in=areas_of(user)).select_related("created_by")


def travel_get(user, pk: int) -> TravelScenario:
    scenario = travel_list(user).filter(pk=pk).first()
    if scenario is None:
        raise Http404("方案不存在")
    return scenario


class TravelListView(PlannerMixin, TemplateView):
    template_name = "planning/travel_list.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "scenarios": travel_list(self.request.user),
        }


class TravelCreateView(PlannerMixin, View):
    template_name = "planning/travel_form.html"

    def get(self, request):
        form = TravelForm(
            initial=TravelForm.initial(timezone.localdate().year - 1), areas=areas_of(request.user)
        )
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = TravelForm(request.POST, areas=areas_of(request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                scenario = travel_create(
                    actor=request.user,
                    name=data["name"],
                    year=data["year"],
                    area=data["area"],
                    inputs=form.inputs(),
                )
            except ValidationError as exc:
                add_refusal(form, exc, TravelScenario)
            else:
                messages.success(request, "走教方案已求解。")
                return redirect("planning:travel_detail", pk=scenario.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class TravelDetailView(PlannerMixin, TemplateView):
    template_name = "planning/travel_detail.html"

    def get_context_data(self, **kwargs):
        scenario = travel_get(self.request.user, kwargs["pk"])
        result = scenario.result or {}
        labels = {str(k): v for k, v in SCARCE.items()}
        for row in result.get("assignments", []) + result.get("uncovered", []):
            row["subject_label"] = labels.get(row["subject"], row["subject"])
        return {
            **super().get_context_data(**kwargs),
            "scenario": scenario,
            "result": result,
        }


class TravelLockView(PlannerMixin, View):
    """Locks the ticked assignments at their lessons (or forbids them at 0) and solves again."""

    def post(self, request, pk):
        scenario = travel_get(request.user, pk)
        locks = []
        for row in (scenario.result or {}).get("assignments", []):
            key = f"{row['teacher']}-{row['unit']}"
            if request.POST.get(f"lock-{key}"):
                raw = request.POST.get(f"lessons-{key}", row["lessons"])
                try:
                    lessons = int(raw)
                    if lessons < 0:
                        raise ValueError
                except (TypeError, ValueError):
                    messages.error(
                        request,
                        f"{row['teacher_name']}到{row['school_name']}的锁定课时“{raw}”"
                        "应为不小于 0 的整数。",
                    )
                    return redirect("planning:travel_detail", pk=pk)
                locks.append([row["teacher"], row["unit"], lessons])
        travel_lock(actor=request.user, scenario=scenario, locks=locks)
        messages.success(request, f"已锁定 {len(locks)} 项安排并重新求解。")
        return redirect("planning:travel_detail", pk=pk)


class TravelExportView(PlannerMixin, View):
    def get(self, request, pk):
        scenario = travel_get(request.user, pk)
        response = HttpResponse(
            travel_workbook(scenario),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename=travel-{scenario.pk}.xlsx"
        return response
