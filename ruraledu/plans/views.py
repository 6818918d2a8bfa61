import hashlib

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.template.loader import render_to_string
from django.views.generic import TemplateView

from ruraledu.accounts.scoping import user_departments

from . import selectors


class PlanDetailView(LoginRequiredMixin, TemplateView):
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_get_current()
        return super().get_context_data(
            plan=plan,
            sections=selectors.plan_sections(plan=plan),
            general_targets=selectors.plan_general_targets(plan=plan),
            our_project_ids=selectors.user_project_ids(user=self.request.user, plan=plan),
            **kwargs,
        )


class ProjectDetailView(LoginRequiredMixin, TemplateView):
    """Rendered once per data version and per view of the tree (the lagging towns and schools
    depend on what the user may see), then served from the cache."""

    template_name = "plans/project_detail.html"

    def get_context_data(self, **kwargs):
        from ruraledu.accounts.scoping import scope_paths
        from ruraledu.dashboards.selectors import dashboard_project
        from ruraledu.indicators.charts import sparkline
        from ruraledu.indicators.versions import data_version

        plan = selectors.plan_get_current()
        number = self.kwargs["number"]
        user = self.request.user
        ours = selectors.user_project_numbers(user=user, plan=plan)

        def build():
            project = selectors.project_get(plan=plan, number=number)
            status = dashboard_project(project=project, user=user)
            for row in status["rows"]:
                row["chart"] = sparkline(points=row["points"])
                row["chart_id"] = f"spark-{row['target'].code}"
            context = {"plan": plan, "project": project, "is_ours": number in ours, **status}
            return f"{project.number}. {project.name}", render_to_string(
                "plans/_project_body.html", context, request=self.request
            )

        scope = "superuser" if user.is_superuser else "|".join(scope_paths(user, "view"))
        key = f"project-html:{plan.pk}:{number}:{number in ours}:{data_version()}:{_digest(scope)}"
        title, body = cache.get_or_set(key, build)
        return super().get_context_data(title=title, body=body, **kwargs)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


class DepartmentListView(LoginRequiredMixin, TemplateView):
    template_name = "plans/department_list.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_get_current()
        return super().get_context_data(
            plan=plan, departments=selectors.department_list(plan=plan), **kwargs
        )


class DepartmentDetailView(LoginRequiredMixin, TemplateView):
    template_name = "plans/department_detail.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_get_current()
        department = selectors.department_get(code=self.kwargs["code"])
        return super().get_context_data(
            plan=plan,
            department=department,
            is_own=department in user_departments(self.request.user),
            **selectors.department_work(plan=plan, department=department),
            **kwargs,
        )
