"""The bureau's privacy tools for care: exports of the lists with names (logged, watermarked,
refused to roles without care rights), the access log of one child, and the retention period."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import is_bureau
from ruraledu.accounts.scoping import can
from ruraledu.audit.utils import request_address
from ruraledu.core.schoolyear import year_from_request
from ruraledu.spreadsheets.export import export_response
from ruraledu.students.models import StudentPerson

from . import exports, forms, selectors
from .choices import FindingKind
from .finding_views import finding_clear_names
from .permissions import clear_names
from .services.retention import expired_cases, retention_set, retention_years
from .views import STATUS_FILTERS, log_subject_reads


def _require_care(user) -> None:
    # read-only roles (leader, inspector, researcher) see counts only: no export of names
    if not can(user, Action.CARE):
        raise Http404("没有找到该页面。")


class CaseExportView(LoginRequiredMixin, View):
    def get(self, request):
        _require_care(request.user)
        show = request.GET.get("show", "")
        if show not in STATUS_FILTERS:
            show = ""
        cases = list(
            STATUS_FILTERS[show][1](selectors.case_list(user=request.user)).order_by(
                "opened_on", "pk"
            )
        )
        for case in cases:
            case.clear = clear_names(request.user, case)
        log_subject_reads(
            request,
            [f"care.dropoutcase:{case.pk}" for case in cases if case.clear],
            "case_export",
        )
        label = STATUS_FILTERS[show][0]
        return export_response(
            filename_zh=f"控辍保学个案（{label}）{timezone.localdate():%Y%m%d}",
            columns=exports.CASE_COLUMNS,
            rows=exports.case_rows(cases),
            sheet_title="控辍保学个案",
            watermark=exports.watermark(request.user),
        )


class FindingExportView(LoginRequiredMixin, View):
    def get(self, request, kind: str):
        if kind not in FindingKind.values:
            raise Http404("没有找到该页面。")
        _require_care(request.user)
        year = year_from_request(request)
        unit = request.GET.get("unit", "")
        findings = list(
            selectors.finding_list(
                user=request.user,
                year=year,
                kind=kind,
                unit_id=int(unit) if unit.isdecimal() else None,
                cleared=request.GET.get("cleared") == "1",
            )
        )
        for finding in findings:
            finding.clear = finding_clear_names(request.user, finding)
        log_subject_reads(
            request, [f"care.finding:{f.pk}" for f in findings if f.clear], "finding_export"
        )
        label = FindingKind(kind).label
        return export_response(
            filename_zh=f"{year}学年{label}名单{timezone.localdate():%Y%m%d}",
            columns=exports.FINDING_COLUMNS,
            rows=exports.finding_rows(findings),
            sheet_title=label,
            watermark=exports.watermark(request.user),
        )


class ChildAccessLogView(LoginRequiredMixin, View):
    """A child's entries in the one personal-data access log (the audit pages), for the bureau."""

    def get(self, request, pk: int):
        if not is_bureau(request.user):
            raise Http404("页面不存在。")
        person = get_object_or_404(StudentPerson.objects.only("pk"), pk=pk)
        return redirect(f"{reverse('audit:personal_access_list')}?child={person.pk}")


class RetentionView(LoginRequiredMixin, View):
    """The bureau sets how long closed cases keep their personal fields."""

    def get(self, request):
        return self.show(request, forms.RetentionForm(initial={"years": retention_years()}))

    def post(self, request):
        if not is_bureau(request.user):
            raise Http404("页面不存在。")
        form = forms.RetentionForm(request.POST)
        if form.is_valid():
            try:
                retention_set(
                    actor=request.user,
                    years=form.cleaned_data["years"],
                    address=request_address(request),
                )
            except ValidationError as error:
                form.add_error("years", error)
            else:
                messages.success(
                    request, "保存期限已设定，每日任务将按新期限清除到期个案的个人信息。"
                )
                return redirect("care:retention")
        return self.show(request, form, status=400)

    @staticmethod
    def show(request, form, status=200):
        if not is_bureau(request.user):
            raise Http404("页面不存在。")
        years = retention_years()
        due = expired_cases(today=timezone.localdate(), years=years).count() if years else None
        return render(
            request,
            "care/retention.html",
            {"form": form, "years": years, "due": due},
            status=status,
        )
