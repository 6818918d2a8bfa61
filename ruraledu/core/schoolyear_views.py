from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import TemplateView

from ruraledu.accounts.choices import Action
from ruraledu.accounts.scoping import is_district_wide, scope_paths

from .models import SchoolYear
from .rollforward import school_year_start
from .schoolyear import current_school_year, school_year_label


def can_start_year(user) -> bool:
    return user.is_superuser or (is_district_wide(user) and bool(scope_paths(user, Action.CHANGE)))


class SchoolYearListView(LoginRequiredMixin, TemplateView):
    template_name = "core/schoolyear_list.html"

    def get_context_data(self, **kwargs):
        current = current_school_year()
        return super().get_context_data(
            years=SchoolYear.objects.all(),
            next_year=current + 1,
            next_label=school_year_label(current + 1),
            can_start=can_start_year(self.request.user),
            **kwargs,
        )

    def post(self, request):
        if not can_start_year(request.user):
            raise PermissionDenied("只有区教体局管理员可以开始新学年。")
        try:
            year = int(request.POST["year"])
        except (KeyError, ValueError):
            messages.error(request, "请选择学年。")
            return redirect("core:schoolyear_list")
        if year != current_school_year() + 1:
            messages.error(request, "只能开始紧接当前学年的下一学年。")
            return redirect("core:schoolyear_list")
        copied = school_year_start(year=year, actor=request.user)
        detail = "，".join(f"{name} {n} 条" for name, n in copied.items())
        messages.success(
            request, f"已开始{school_year_label(year)}，结转：{detail}。请导入有变化的数据。"
        )
        return redirect("core:schoolyear_list")
