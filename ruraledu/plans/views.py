from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from ruraledu.accounts.scoping import user_departments

from . import selectors


class PlanDetailView(LoginRequiredMixin, TemplateView):
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_get_current(self.request.user)
        return super().get_context_data(
            plan=plan,
            sections=selectors.plan_sections(plan=plan),
            general_targets=selectors.plan_general_targets(plan=plan),
            our_project_ids=selectors.user_project_ids(user=self.request.user, plan=plan),
            **kwargs,
        )


class DepartmentListView(LoginRequiredMixin, TemplateView):
    template_name = "plans/department_list.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_get_current(self.request.user)
        return super().get_context_data(
            plan=plan, departments=selectors.department_list(plan=plan), **kwargs
        )


class DepartmentDetailView(LoginRequiredMixin, TemplateView):
    template_name = "plans/department_detail.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_get_current(self.request.user)
        department = selectors.department_get(code=self.kwargs["code"], plan=plan)
        return super().get_context_data(
            plan=plan,
            department=department,
            is_own=department in user_departments(self.request.user),
            **selectors.department_work(plan=plan, department=department),
            **kwargs,
        )
