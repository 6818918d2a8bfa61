"""Supervision pages per zone and per inspector: visits against plan this month and term, open
and overdue items, 听课 this term, for the schools in the user's view. A zone or inspector
with none of the user's schools is not found (404)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views import View

from . import overview
from .conf import observations_per_semester
from .models import Zone
from .plan import planned_kinds


def _render(request, title: str, schools, inspector=None, **extra):
    today = timezone.localdate()
    rows, totals = overview.school_rows(schools=schools, today=today, inspector=inspector)
    if not rows:
        raise Http404("没有找到该页面。")
    return render(
        request,
        "supervision/progress_detail.html",
        {
            "title": title,
            "rows": rows,
            "totals": totals,
            "today": today,
            "planned": bool(planned_kinds()),
            "rule": observations_per_semester(),
            **extra,
        },
    )


class OverviewView(LoginRequiredMixin, View):
    """The zones and inspectors whose schools the user sees."""

    def get(self, request):
        today = timezone.localdate()
        return render(
            request,
            "supervision/overview.html",
            {
                "zones": overview.zones_in_view(user=request.user),
                "inspectors": overview.inspectors_in_view(user=request.user, today=today),
            },
        )


class ZoneDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        zone = get_object_or_404(Zone, pk=pk)
        schools = overview.zone_schools(user=request.user, zone=zone)
        return _render(request, f"{zone.name}", schools, kind="zone")


class InspectorDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        inspector = get_object_or_404(get_user_model(), pk=pk)
        schools = overview.inspector_schools(
            user=request.user, inspector=inspector, today=timezone.localdate()
        )
        name = inspector.full_name or inspector.username
        return _render(request, f"责任督学 {name}", schools, inspector=inspector, kind="inspector")
