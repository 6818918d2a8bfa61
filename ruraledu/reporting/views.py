"""Reporting pages. Views parse input, call a selector or a service and render; refused steps
come back as a Chinese message, out-of-scope records as 404."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from ruraledu.accounts.policy import is_bureau
from ruraledu.audit.utils import request_address
from ruraledu.core.files import attachment
from ruraledu.core.params import int_param
from ruraledu.core.schoolyear import year_from_request, year_param
from ruraledu.core.versions import refusal_messages
from ruraledu.orgunits.models import Department, OrgUnit
from ruraledu.plans.choices import MilestoneStatus, TargetKind
from ruraledu.plans.models import Target
from ruraledu.plans.selectors import plan_get_current, project_get

from . import selectors, services, urging
from .choices import CalendarDayKind
from .forms import (
    ApproveForm,
    CalendarDayForm,
    EvidenceUploadForm,
    MilestoneForm,
    ProgressReportForm,
    ReturnForm,
    ScheduleForm,
    VersionForm,
)
from .models import CalendarDay, Notification, ReportingPeriod
from .workdays import missing_years, package_years


def denied(request, message: str):
    return TemplateResponse(request, "reporting/denied.html", {"message": message}, status=403)


def refusal_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


class BureauMixin(LoginRequiredMixin):
    """Pages of the bureau (district admins on the root, superusers)."""

    denied_message = "只有区教体局可以使用此页面。"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_bureau(request.user):
            return denied(request, self.denied_message)
        return super().dispatch(request, *args, **kwargs)


# ------------------------------------------------------------------ reporters


class MyReportsView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/report_mine.html"

    def get_context_data(self, **kwargs):
        services.periods_ensure_current()
        return super().get_context_data(**selectors.my_reports(user=self.request.user), **kwargs)


class ReportStartView(LoginRequiredMixin, View):
    """Open (create if needed) the draft of a unit for a period."""

    def post(self, request, period_pk: int):
        period = get_object_or_404(ReportingPeriod.objects.select_related("project"), pk=period_pk)
        department, org_unit = unit_from_key(request.POST.get("unit", ""))
        try:
            report = services.report_start(
                period=period,
                actor=request.user,
                department=department,
                org_unit=org_unit,
                address=request_address(request),
            )
        except PermissionDenied as exc:
            return denied(request, str(exc))
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
            return redirect("reporting:my_reports")
        return redirect("reporting:report_edit", pk=report.pk)


class ReportDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/report_detail.html"

    def get_context_data(self, **kwargs):
        report = selectors.report_get(user=self.request.user, pk=self.kwargs["pk"])
        detail = selectors.report_detail(user=self.request.user, report=report)
        claimed = [
            line.target
            for line in detail["milestone_lines"]
            if line.progress == MilestoneStatus.DONE
        ]
        initial = {"version": report.version}
        return super().get_context_data(
            report=report,
            project=report.period.project,
            period=report.period,
            return_form=ReturnForm(initial=initial),
            approve_form=ApproveForm(
                initial={**initial, "confirm_done": [t.pk for t in claimed]}, claimed=claimed
            ),
            version_form=VersionForm(initial=initial),
            show_audit=is_bureau(self.request.user),
            **detail,
            **kwargs,
        )


class ReportEditView(LoginRequiredMixin, View):
    template_name = "reporting/report_form.html"

    def _context(self, report, form, detail, upload_form=None):
        targets = [line.target for line in detail["lines"]]
        return {
            "report": report,
            "project": report.period.project,
            "period": report.period,
            "form": form,
            "upload_form": upload_form or EvidenceUploadForm(targets=targets),
            "version_form": VersionForm(initial={"version": report.version}),
            **detail,
        }

    def stored_form(self, report, detail):
        """The report form as saved (a refused upload shows the page again with it)."""
        return ProgressReportForm(
            initial={
                "version": report.version,
                "work_done": report.work_done,
                "problems": report.problems,
                "next_steps": report.next_steps,
            },
            lines=detail["lines"],
        )

    def _load(self, request, pk):
        report = selectors.report_get(user=request.user, pk=pk)
        detail = selectors.report_detail(user=request.user, report=report)
        return report, detail

    def get(self, request, pk: int):
        report, detail = self._load(request, pk)
        if not detail["can_edit"]:
            return self._not_editable(request, report)
        form = self.stored_form(report, detail)
        return TemplateResponse(request, self.template_name, self._context(report, form, detail))

    def post(self, request, pk: int):
        report, detail = self._load(request, pk)
        if not detail["can_edit"]:
            return self._not_editable(request, report)
        form = ProgressReportForm(request.POST, lines=detail["lines"])
        if not form.is_valid():
            return TemplateResponse(
                request, self.template_name, self._context(report, form, detail), status=400
            )
        address = request_address(request)
        try:
            report = services.report_update(
                report=report,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                work_done=form.cleaned_data["work_done"],
                problems=form.cleaned_data["problems"],
                next_steps=form.cleaned_data["next_steps"],
                lines=form.line_values(),
                address=address,
            )
            if request.POST.get("action") == "submit":
                hand_in = (
                    services.report_resubmit
                    if report.status == "returned"
                    else services.report_submit
                )
                report = hand_in(
                    report=report,
                    actor=request.user,
                    expected_version=report.version,
                    address=address,
                )
                messages.success(
                    request,
                    f"报告已{report.get_status_display().removeprefix('已')}，等待区教体局审核。",
                )
                return redirect("reporting:report_detail", pk=report.pk)
        except PermissionDenied as exc:
            return denied(request, str(exc))
        except ValidationError as exc:
            form.add_error(None, "；".join(refusal_messages(form, exc)))
            report, detail = self._load(request, pk)
            return TemplateResponse(
                request, self.template_name, self._context(report, form, detail), status=409
            )
        messages.success(request, "已保存。")
        return redirect("reporting:report_edit", pk=report.pk)

    def _not_editable(self, request, report):
        if report.is_locked:
            messages.info(request, "该报告已审核通过并锁定，不能再修改。")
        elif report.is_editable:
            return denied(request, services.NOT_AUTHOR)
        else:
            messages.info(request, "报告已提交，正在审核中，不能修改。")
        return redirect("reporting:report_detail", pk=report.pk)


class ReportActionView(LoginRequiredMixin, View):
    """Base of the POST-only workflow steps: load within scope, run, report the outcome."""

    form_class = VersionForm

    def post(self, request, pk: int):
        report = selectors.report_get(user=request.user, pk=pk)
        form = self.get_form(request, report)
        if not form.is_valid():
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return redirect("reporting:report_detail", pk=report.pk)
        try:
            message = self.run(request, report, form.cleaned_data)
        except PermissionDenied as exc:
            return denied(request, str(exc))
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, message)
        return redirect(self.success_url(report))

    def get_form(self, request, report):
        return self.form_class(request.POST)

    def success_url(self, report) -> str:
        return reverse("reporting:report_detail", args=[report.pk])


class ReportSubmitView(ReportActionView):
    def run(self, request, report, data) -> str:
        hand_in = (
            services.report_resubmit if report.status == "returned" else services.report_submit
        )
        hand_in(
            report=report,
            actor=request.user,
            expected_version=data["version"],
            address=request_address(request),
        )
        return "报告已提交，等待区教体局审核。"


class ReportReturnView(ReportActionView):
    form_class = ReturnForm

    def run(self, request, report, data) -> str:
        services.report_return(
            report=report,
            actor=request.user,
            reason=data["reason"],
            expected_version=data["version"],
            address=request_address(request),
        )
        return "报告已退回，填报单位会收到通知。"


class ReportApproveView(ReportActionView):
    form_class = ApproveForm

    def get_form(self, request, report):
        claimed = Target.objects.filter(
            report_lines__report=report, kind=TargetKind.MILESTONE, report_lines__progress="done"
        )
        return ApproveForm(request.POST, claimed=claimed)

    def run(self, request, report, data) -> str:
        services.report_approve(
            report=report,
            actor=request.user,
            expected_version=data["version"],
            confirm_done=data["confirm_done"],
            comment=data["comment"],
            address=request_address(request),
        )
        done = len(data["confirm_done"])
        return "报告已审核通过并锁定。" + (f"已确认 {done} 个节点任务完成。" if done else "")


class EvidenceUploadView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        report = selectors.report_get(user=request.user, pk=pk)
        targets = list(report.period.project.targets.all())
        form = EvidenceUploadForm(request.POST, request.FILES, targets=targets)
        back = redirect("reporting:report_edit", pk=report.pk)
        if not form.is_valid():
            return self._refused(request, report, form)
        upload = form.cleaned_data["file"]
        target_pk = form.cleaned_data["target"]
        try:
            evidence = services.evidence_add(
                report=report,
                actor=request.user,
                data=upload.read(),
                filename=upload.name,
                target=next((t for t in targets if t.pk == target_pk), None),
                address=request_address(request),
            )
        except PermissionDenied as exc:
            return denied(request, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self._refused(request, report, form)
        messages.success(request, f"已上传佐证材料“{evidence.original_name}”。")
        return back

    def _refused(self, request, report, form):
        """The edit page again with the refused upload form, so the chosen 对应目标 stays
        selected beside the reason; a report no longer editable goes back with the reason."""
        edit = ReportEditView()
        report, detail = edit._load(request, report.pk)
        if not detail["can_edit"]:
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return redirect("reporting:report_edit", pk=report.pk)
        context = edit._context(report, edit.stored_form(report, detail), detail, form)
        return TemplateResponse(request, edit.template_name, context, status=400)


class EvidenceDeleteView(LoginRequiredMixin, View):
    """Deleting evidence takes two steps: the link opens a confirmation page (no script needed)
    whose form posts `confirm=yes`; a post without it only shows that page again. A file
    deleted already (a second click, another tab) is said so, back on its report."""

    template_name = "reporting/evidence_delete.html"

    def get(self, request, pk: int):
        try:
            evidence = selectors.evidence_get(user=request.user, pk=pk)
        except Http404:
            return self._deleted(request, pk)
        refused = self._refused(request, evidence)
        if refused is not None:
            return refused
        return TemplateResponse(request, self.template_name, {"evidence": evidence})

    def post(self, request, pk: int):
        if request.POST.get("confirm") != "yes":
            return self.get(request, pk)
        try:
            evidence = selectors.evidence_get(user=request.user, pk=pk)
        except Http404:
            return self._deleted(request, pk)
        try:
            services.evidence_remove(
                evidence=evidence, actor=request.user, address=request_address(request)
            )
        except PermissionDenied as exc:
            return denied(request, str(exc))
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, f"已删除佐证材料“{evidence.original_name}”。")
        return redirect("reporting:report_edit", pk=evidence.report_id)

    def _deleted(self, request, pk: int):
        # nothing is deleted or audited again; 404 unless a file of a report in scope was
        report = selectors.evidence_deleted_report(user=request.user, pk=pk)
        if not selectors.report_authored(user=request.user, report=report):
            return denied(request, services.NOT_AUTHOR)
        messages.info(request, "该佐证材料已被删除，无需再次删除。")
        page = "reporting:report_edit" if report.is_editable else "reporting:report_detail"
        return redirect(page, pk=report.pk)

    def _refused(self, request, evidence):
        report = evidence.report
        if not selectors.report_authored(user=request.user, report=report):
            return denied(request, services.NOT_AUTHOR)
        if not report.is_editable:
            messages.info(request, "报告已提交或已锁定，不能删除佐证材料。")
            return redirect("reporting:report_detail", pk=report.pk)
        return None


class EvidenceDownloadView(LoginRequiredMixin, View):
    """Files go out only here: scoped by the report, always as an attachment."""

    def get(self, request, pk: int):
        evidence = selectors.evidence_get(user=request.user, pk=pk)
        return attachment(
            evidence.file, filename=evidence.original_name, content_type=evidence.content_type
        )


# ------------------------------------------------------------------ bureau


class ReviewQueueView(BureauMixin, TemplateView):
    template_name = "reporting/review_queue.html"

    def get_context_data(self, **kwargs):
        services.periods_ensure_current()
        return super().get_context_data(**selectors.review_queue(user=self.request.user), **kwargs)


def unit_from_key(key: str) -> tuple[Department | None, OrgUnit | None]:
    """The department (`d<pk>`) or org unit (`u<pk>`) a form names; 404 otherwise."""
    pk = int_param(key[1:])
    if key.startswith("d") and pk is not None:
        return get_object_or_404(Department, pk=pk), None
    if key.startswith("u") and pk is not None:
        return None, get_object_or_404(OrgUnit, pk=pk)
    raise Http404("没有这个填报单位。")


class ReportUrgeView(BureauMixin, View):
    """催办 from the review queue: one overdue report (a period and a unit), once a day."""

    denied_message = urging.NOT_URGER

    def post(self, request, period_pk: int):
        period = get_object_or_404(ReportingPeriod.objects.select_related("project"), pk=period_pk)
        department, org_unit = unit_from_key(request.POST.get("unit", ""))
        try:
            urge = urging.report_urge(
                period=period,
                actor=request.user,
                department=department,
                org_unit=org_unit,
                address=request_address(request),
            )
        except PermissionDenied as exc:
            return denied(request, str(exc))
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(
                request,
                f"已向{department or org_unit}的 {urge.recipients} 位填报人员发送催办通知"
                f"（{period.project.name}{period.label}）。",
            )
        return redirect(f"{reverse('reporting:review_queue')}#overdue-h")


class ProjectReportsView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/project_reports.html"

    def get_context_data(self, **kwargs):
        plan = plan_get_current(self.request.user)
        project = project_get(plan=plan, number=self.kwargs["number"])
        return super().get_context_data(
            project=project,
            is_bureau=is_bureau(self.request.user),
            **selectors.project_reports(user=self.request.user, project=project),
            **kwargs,
        )


class ScheduleEditView(BureauMixin, View):
    template_name = "reporting/schedule_form.html"

    def _project(self, number):
        return project_get(plan=plan_get_current(self.request.user), number=number)

    def get(self, request, number: int):
        project = self._project(number)
        schedule = getattr(project, "reporting_schedule", None)
        if schedule is not None:
            initial = {
                "version": schedule.version,
                "frequency": schedule.frequency,
                "deadline_working_days": schedule.deadline_working_days,
                "starts_on": schedule.starts_on,
                "ends_on": schedule.ends_on,
                "departments": list(schedule.departments.all()),
                "org_units": list(schedule.org_units.all()),
                "is_active": schedule.is_active,
            }
        else:
            bureau = services.bureau_department_code()
            initial = {
                "starts_on": dt.date(timezone.localdate().year, 1, 1),
                "departments": [
                    r.department
                    for r in project.responsibilities.select_related("department__org_unit")
                    if r.department.plan_code != bureau
                ],
                "is_active": True,
            }
        form = ScheduleForm(initial=initial)
        return TemplateResponse(request, self.template_name, {"project": project, "form": form})

    def post(self, request, number: int):
        project = self._project(number)
        form = ScheduleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.schedule_set(
                    project=project,
                    actor=request.user,
                    frequency=data["frequency"],
                    deadline_working_days=data["deadline_working_days"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    departments=data["departments"],
                    org_units=data["org_units"],
                    is_active=data["is_active"],
                    expected_version=data["version"],
                    address=request_address(request),
                )
            except ValidationError as exc:
                form.add_error(None, "；".join(refusal_messages(form, exc)))
            else:
                messages.success(request, "报告安排已保存，报告期已更新。")
                return redirect("reporting:project_reports", number=project.number)
        return TemplateResponse(
            request, self.template_name, {"project": project, "form": form}, status=400
        )


class MilestoneListView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/milestone_list.html"

    def get_context_data(self, **kwargs):
        plan = plan_get_current(self.request.user)
        return super().get_context_data(
            plan=plan,
            targets=selectors.milestone_list(user=self.request.user, plan=plan),
            is_bureau=is_bureau(self.request.user),
            form=MilestoneForm(),
            **kwargs,
        )


class MilestoneSetView(BureauMixin, View):
    def post(self, request, code: str):
        plan = plan_get_current(self.request.user)
        target = get_object_or_404(Target, plan=plan, code=code, kind=TargetKind.MILESTONE)
        form = MilestoneForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择进展并填写说明（说明将记入审计记录）。")
            return redirect("reporting:milestone_list")
        try:
            changed = services.target_milestone_set(
                target=target,
                status=form.cleaned_data["status"],
                actor=request.user,
                note=form.cleaned_data["note"],
                address=request_address(request),
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(
                request, f"节点任务 {target.code} 已更新。" if changed else "进展没有变化。"
            )
        return redirect("reporting:milestone_list")


class HolidayListView(BureauMixin, TemplateView):
    template_name = "reporting/holiday_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year = year_from_request(self.request, default=today.year)
        plan_end = max(today.year + 1, getattr(plan_or_none(), "end_year", today.year))
        years = list(range(min(today.year - 2, year), max(plan_end, year) + 1))
        return super().get_context_data(
            year=year,
            years=years,
            days=CalendarDay.objects.filter(date__year=year),
            missing=missing_years(years),
            package_years=package_years(),
            form=CalendarDayForm(initial={"kind": CalendarDayKind.HOLIDAY}),
            **kwargs,
        )


def plan_or_none():
    from ruraledu.plans.models import Plan

    return Plan.objects.order_by("-start_year", "-pk").first()


class HolidaySetView(BureauMixin, View):
    def post(self, request):
        form = CalendarDayForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写正确的日期和类型。")
            return redirect("reporting:holiday_list")
        data = form.cleaned_data
        try:
            day = services.calendar_day_set(
                date=data["date"],
                kind=data["kind"],
                name=data["name"],
                actor=request.user,
                address=request_address(request),
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
            return redirect("reporting:holiday_list")
        messages.success(request, f"已保存：{day}。受影响的报告截止日期已重新计算。")
        return redirect(f"{reverse('reporting:holiday_list')}?year={day.date.year}")


class HolidayDeleteView(BureauMixin, View):
    """A day deleted already (a second click, another tab or user) is said so, back on the
    page of the year the form was on; nothing is deleted or audited again. An id of no day
    that ever was is a 404."""

    def post(self, request, pk: int):
        day = CalendarDay.objects.filter(pk=pk).first()
        if day is None and not services.calendar_day_was_deleted(pk):
            raise Http404("没有该日期。")
        year = day.date.year if day else year_param(request.POST.get("year"))
        back = reverse("reporting:holiday_list") + (f"?year={year}" if year else "")
        deleted = day is not None and services.calendar_day_delete(
            day=day, actor=request.user, address=request_address(request)
        )
        if deleted:
            messages.success(request, "已删除。受影响的报告截止日期已重新计算。")
        else:
            messages.info(request, "该日期已被删除，无需再次删除。")
        return redirect(back)


class HolidaySeedView(BureauMixin, View):
    def post(self, request):
        added = services.holidays_seed(actor=request.user)
        messages.success(
            request,
            f"已从 chinese-calendar 导入 {added} 天（已有的日期保持不变）。"
            if added
            else "没有需要导入的日期：chinese-calendar 已知的年份都已在表中。",
        )
        return redirect("reporting:holiday_list")


# ------------------------------------------------------------------ notifications


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/notification_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            notifications=selectors.notifications_for(user=self.request.user), **kwargs
        )


class NotificationReadView(LoginRequiredMixin, View):
    """Mark one notice (or all) read, then follow its link."""

    def post(self, request, pk: int | None = None):
        notices = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
        target = reverse("reporting:notification_list")
        if pk is not None:
            notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
            notices = notices.filter(pk=pk)
            if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
                target = notice.url
        notices.update(read_at=timezone.now())
        return redirect(target)
