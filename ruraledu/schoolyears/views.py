from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from ruraledu.accounts.policy import is_bureau
from ruraledu.core.models import SchoolYear, SchoolYearState
from ruraledu.core.rollforward import roll_preview
from ruraledu.core.schoolyear import (
    current_school_year,
    judged_school_year,
    school_year_label,
    year_not_started,
    year_param,
)
from ruraledu.orgunits.models import OrgUnit
from ruraledu.supervision.services.year_start import year_start_endings

from .services import (
    school_check_set,
    school_progress,
    school_year_confirm,
    school_year_open,
)


class SchoolYearListView(LoginRequiredMixin, TemplateView):
    """The years, the one being collected with each school's progress, and the bureau's
    actions: start the next year (after saying what will happen), confirm a collected one."""

    template_name = "schoolyears/schoolyear_list.html"

    def get_context_data(self, **kwargs):
        current = current_school_year()
        user = self.request.user
        years = list(SchoolYear.objects.all())
        collecting = next((y for y in years if y.state == SchoolYearState.COLLECTING), None)
        progress = school_progress(year=collecting.year, user=user) if collecting else []
        return super().get_context_data(
            years=years,
            collecting=collecting,
            progress=progress,
            checked_count=sum(1 for p in progress if p.check),
            changeable=set(OrgUnit.objects.for_user(user, "change").values_list("pk", flat=True)),
            judged_year=judged_school_year(),
            next_year=current + 1,
            next_label=school_year_label(current + 1),
            can_start=is_bureau(self.request.user),
            year_gap=year_not_started(),
            **kwargs,
        )

    def post(self, request):
        action = request.POST.get("action", "start")
        year = year_param(request.POST.get("year"))
        if year is None:
            messages.error(request, "请选择学年。")
            return redirect("schoolyears:schoolyear_list")
        try:
            if action == "start":
                return self._start(request, year)
            if action == "confirm":
                changed = school_year_confirm(year=year, actor=request.user)
                messages.success(
                    request,
                    f"已确认{school_year_label(year)}数据；目标状态按该学年评估，"
                    f"{changed} 个目标的状态随之变化。",
                )
            elif action in ("check", "uncheck"):
                unit = OrgUnit.objects.filter(code=request.POST.get("unit", "")).first()
                if unit is None:
                    raise Http404("学校不存在")
                school_check_set(
                    year=year, unit=unit, actor=request.user, checked=action == "check"
                )
                messages.success(request, f"已更新{unit.name}的核对状态。")
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return redirect("schoolyears:schoolyear_list")

    def _start(self, request, year: int):
        if not is_bureau(request.user):
            raise PermissionDenied("只有区教体局管理员可以开始新学年。")
        if request.POST.get("confirmed") != "yes":
            # say what will happen, and ask again
            return self.render_to_response(
                self.get_context_data(
                    preview=roll_preview(year),
                    # what the start will end: the same answer the start acts on
                    endings=year_start_endings(year),
                    preview_year=year,
                    preview_label=school_year_label(year),
                )
            )
        with transaction.atomic():
            # asked under the same locks the start takes: the count is of what it ends
            endings = year_start_endings(year, lock=True)
            copied = school_year_open(year=year, actor=request.user)
        detail = "，".join(f"{name} {n} 条" for name, n in copied.items())
        ended = "、".join(
            f"{label} {n} 项"
            for label, n in (
                ("挂牌督学安排", len(endings.assignments)),
                ("教研员听课权限", len(endings.researcher_roles)),
            )
            if n
        )
        messages.success(
            request,
            f"已开始{school_year_label(year)}（填报中），结转：{detail}。"
            + (f"同时结束或收回：{ended}。" if ended else "")
            + "请各校导入有变化的数据并核对；区教体局确认该学年前，驾驶舱和目标评估仍按已确认的学年。",
        )
        return redirect("schoolyears:schoolyear_list")
