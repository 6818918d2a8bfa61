import hashlib

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.template.loader import render_to_string
from django.views.generic import TemplateView

from ruraledu.accounts.policy import is_bureau
from ruraledu.accounts.scoping import scope_paths
from ruraledu.core.schoolyear import year_not_started, year_param
from ruraledu.indicators.charts import sparkline
from ruraledu.indicators.versions import data_version
from ruraledu.plans.selectors import plan_get_current, project_get, user_project_numbers

from . import selectors


class CockpitView(LoginRequiredMixin, TemplateView):
    """The same for every user until the figures change, except for the links to pages the user
    may not open: the body is rendered once per data version and per answer to "do the unit
    pages open for this user", and served from the cache."""

    template_name = "dashboards/cockpit.html"

    def get_context_data(self, **kwargs):
        plan = plan_get_current(self.request.user)
        unit_links = selectors.unit_pages_open(self.request.user)
        bureau = is_bureau(self.request.user)  # the bureau alone generates the progress report
        key = f"cockpit-html:{plan.pk}:{data_version()}:{int(unit_links)}:{int(bureau)}"
        body = cache.get(key)
        if body is None:
            data = selectors.dashboard_cockpit(plan=plan)
            data["unit_links"] = unit_links
            data["bureau"] = bureau
            for figure in data["headlines"]:
                figure["chart"] = sparkline(points=figure["points"])
                figure["spark_id"] = f"spark-{figure['code']}"
            body = render_to_string(
                "dashboards/_cockpit_body.html", {"plan": plan, **data}, request=self.request
            )
            cache.set(key, body)
        return super().get_context_data(
            plan=plan, body=body, year_gap=year_not_started(), can_start=bureau, **kwargs
        )


class UnitProfileView(LoginRequiredMixin, TemplateView):
    """A town's or school's figures against every threshold, and its gaps (rendered once per
    unit, year and data version)."""

    template_name = "dashboards/unit_profile.html"

    def get_context_data(self, **kwargs):
        from ruraledu.indicators.charts import radar_chart
        from ruraledu.indicators.definitions.quality import RESOURCES
        from ruraledu.indicators.selectors import unit_for_user

        unit = unit_for_user(self.request.user, self.kwargs["code"])
        year = year_param(self.request.GET.get("year"))

        def build():
            data = selectors.dashboard_unit_profile(unit=unit, year=year)
            chart = None
            if data["radar"]:
                shares = [v / t * 100 if v is not None and t else None for _, v, t in data["radar"]]
                chart = radar_chart(
                    labels=[RESOURCES[k][0] for k, _, _ in data["radar"]], shares=shares
                )
            context = {"unit": unit, "radar_chart": chart, **data}
            return render_to_string(
                "dashboards/_unit_profile_body.html", context, request=self.request
            )

        body = cache.get_or_set(f"profile-html:{unit.pk}:{year}:{data_version()}", build)
        return super().get_context_data(unit=unit, body=body, **kwargs)


class YzjhView(LoginRequiredMixin, TemplateView):
    """县域义务教育优质均衡: per school, and the 差异系数 under the unit."""

    template_name = "dashboards/yzjh.html"

    def get_context_data(self, **kwargs):
        from ruraledu.indicators.selectors import unit_for_user

        unit = unit_for_user(self.request.user, self.request.GET.get("unit"))
        data = selectors.dashboard_yzjh(
            user=self.request.user, unit=unit, year=year_param(self.request.GET.get("year"))
        )
        return super().get_context_data(unit=unit, **data, **kwargs)


class ProjectDetailView(LoginRequiredMixin, TemplateView):
    """A key project of the plan with its targets' figures and charts. Rendered once per data version and per view of the tree (the lagging towns and schools
    depend on what the user may see), then served from the cache."""

    template_name = "dashboards/project_detail.html"

    def get_context_data(self, **kwargs):
        plan = plan_get_current(self.request.user)
        number = self.kwargs["number"]
        user = self.request.user
        ours = user_project_numbers(user=user, plan=plan)

        def build():
            project = project_get(plan=plan, number=number)
            status = selectors.dashboard_project(project=project, user=user)
            for row in status["rows"]:
                row["chart"] = sparkline(points=row["points"])
                row["chart_id"] = f"spark-{row['target'].code}"
            context = {"plan": plan, "project": project, "is_ours": number in ours, **status}
            return f"{project.number}. {project.name}", render_to_string(
                "dashboards/_project_body.html", context, request=self.request
            )

        scope = "superuser" if user.is_superuser else "|".join(scope_paths(user, "view"))
        key = f"project-html:{plan.pk}:{number}:{number in ours}:{data_version()}:{_digest(scope)}"
        title, body = cache.get_or_set(key, build)
        return super().get_context_data(title=title, body=body, **kwargs)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


class CityView(LoginRequiredMixin, TemplateView):
    """A city's (or province's) districts side by side: one indicator across them and each
    district's target status, with the city's own plan. A district account sees its own row."""

    template_name = "dashboards/city.html"

    def get_context_data(self, **kwargs):
        from ruraledu.indicators.selectors import unit_for_user

        from .city import city_page

        unit = unit_for_user(self.request.user, self.request.GET.get("unit"))
        data = city_page(
            user=self.request.user,
            unit=unit,
            code=self.request.GET.get("code") or None,
            year=year_param(self.request.GET.get("year")),
        )
        return super().get_context_data(unit=unit, **data, **kwargs)
