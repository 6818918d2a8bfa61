from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views.generic import TemplateView

from ruraledu.core.views import ScopedDetailView

from . import selectors
from .choices import OrgUnitKind
from .models import OrgUnit


class UnitHomeView(LoginRequiredMixin, TemplateView):
    """Starts where the user's scope starts: one root goes straight to its page."""

    template_name = "orgunits/unit_home.html"

    def get(self, request, *args, **kwargs):
        roots = selectors.unit_roots(user=request.user)
        if len(roots) == 1:
            return redirect("orgunits:unit_detail", code=roots[0].code)
        return self.render_to_response(self.get_context_data(roots=roots))


class UnitDetailView(ScopedDetailView):
    model = OrgUnit
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "orgunits/unit_detail.html"
    context_object_name = "unit"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("parent", "school__school_district", "school__education_group")
        )

    def get_template_names(self):
        if self.request.htmx:
            return ["orgunits/_unit_children.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        user, unit = self.request.user, self.object
        query = self.request.GET.get("q", "").strip()[:50]
        kind = self.request.GET.get("kind", "")
        return super().get_context_data(
            children=selectors.unit_children(user=user, unit=unit, query=query, kind=kind),
            query=query,
            kind=kind,
            kind_choices=OrgUnitKind.choices,
            breadcrumbs=selectors.unit_breadcrumbs(user=user, unit=unit),
            summary=selectors.unit_summary(user=user, unit=unit),
            school=getattr(unit, "school", None),
            **kwargs,
        )
