"""The bureau's form for school coordinates, one 学区 (or town) at a time."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from ruraledu.accounts.choices import Action
from ruraledu.orgunits.districts import districts_covered

from .locations import ROAD_FACTOR, locations_set
from .models import SchoolLocation
from .travel_data import area_schools, areas
from .views import PlannerMixin


class LocationView(PlannerMixin, TemplateView):
    template_name = "planning/locations.html"

    def _area(self, params):
        choices = areas(districts_covered(self.request.user, Action.REVIEW))
        keys = [k for k, _ in choices]
        area = params.get("area")
        return (area if area in keys else (keys[0] if keys else "")), choices

    def _schools(self, area):
        schools = list(
            area_schools(area).filter(pk__in=self._scoped()).order_by("org_unit__code")
            if area
            else []
        )
        located = SchoolLocation.objects.in_bulk([s.pk for s in schools])
        return [(s, located.get(s.pk)) for s in schools]

    def _scoped(self):
        from ruraledu.orgunits.models import School

        return School.objects.for_user(self.request.user).values("pk")

    def get_context_data(self, **kwargs):
        area, choices = self._area(self.request.GET)
        return {
            **super().get_context_data(**kwargs),
            "area": area,
            "areas": choices,
            "rows": self._schools(area),
            "road_factor": ROAD_FACTOR,
        }

    def post(self, request):
        area, _ = self._area(request.POST)
        rows = [
            (
                school.pk,
                request.POST.get(f"lat_{school.pk}", ""),
                request.POST.get(f"lon_{school.pk}", ""),
            )
            for school, _ in self._schools(area)
        ]
        try:
            with transaction.atomic():
                written = locations_set(actor=request.user, rows=rows)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            messages.error(request, "坐标均未保存，请改正后重新提交。")
        else:
            messages.success(request, f"已保存 {written} 所学校的坐标。")
        return redirect(f"{reverse('planning:locations')}?area={area}")
