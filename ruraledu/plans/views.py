from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
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
    template_name = "plans/project_detail.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_get_current()
        project = selectors.project_get(plan=plan, number=self.kwargs["number"])
        from ruraledu.accounts.scoping import scope_paths
        from ruraledu.dashboards.selectors import dashboard_project
        from ruraledu.indicators.charts import sparkline
        from ruraledu.indicators.versions import data_version

        def build():
            status = dashboard_project(project=project, user=self.request.user)
            for row in status["rows"]:
                row["chart"] = sparkline(points=row["points"])
                row["chart_id"] = f"spark-{row['target'].code}"
            return status

        # the lagging towns and schools depend on what the user may see
        scope = (
            "superuser"
            if self.request.user.is_superuser
            else "|".join(scope_paths(self.request.user, "view"))
        )
        status = cache.get_or_set(f"project:{project.pk}:{data_version()}:{hash(scope)}", build)
        return super().get_context_data(
            plan=plan,
            project=project,
            **status,
            is_ours=project.pk in selectors.user_project_ids(user=self.request.user, plan=plan),
            **kwargs,
        )


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
