"""The bureau's audit pages: a search over the whole trail, the history of one record, the
personal-data access log and the browsers' policy-violation reports (and their endpoint)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from ruraledu.accounts.policy import is_bureau

from . import personal_access, selectors
from .child_events import log_trail_reads, record_subjects
from .csp_reports import MAX_BODY, ReportRefused, csp_report_receive
from .forms import AuditSearchForm, ChildLookupForm, PersonalAccessFilterForm
from .models import CspReport, name_stored_ids
from .utils import request_address


class AuditEventListView(LoginRequiredMixin, TemplateView):
    template_name = "audit/auditevent_list.html"

    def get_context_data(self, **kwargs):
        types = selectors.audit_record_types()
        form = AuditSearchForm(self.request.GET or None, record_types=types)
        filters = form.cleaned_data if form.is_valid() else {}
        events = selectors.audit_event_list(
            user=self.request.user,
            text=(filters.get("q") or "").strip(),
            content_type_id=filters.get("type"),
            actor=(filters.get("actor") or "").strip(),
            action=filters.get("action") or "",
            since=filters.get("since"),
            until=filters.get("until"),
        )
        page = Paginator(events, 50).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        events = name_stored_ids(page.object_list)
        log_trail_reads(self.request, events)
        return super().get_context_data(
            form=form,
            page_obj=page,
            events=events,
            query_string=params.urlencode(),
            **kwargs,
        )


class AuditRecordView(LoginRequiredMixin, TemplateView):
    template_name = "audit/auditevent_record.html"

    def get_context_data(self, **kwargs):
        history = selectors.audit_record_history(
            user=self.request.user,
            app_label=self.kwargs["app_label"],
            model=self.kwargs["model"],
            object_id=self.kwargs["object_id"],
        )
        # the page's title is the record's label: 李嘉宁 2025 1年级 even with no rows yet
        log_trail_reads(self.request, history["events"], record_subjects(history["record"]))
        context = super().get_context_data(**kwargs)
        context.update(history)
        return context


class PersonalAccessListView(LoginRequiredMixin, TemplateView):
    """The personal-data access log per user and per child. A child is looked up by ID number
    (posted, then carried as the record id); the page never shows a clear ID number."""

    template_name = "audit/personal_access_list.html"

    def post(self, request):
        lookup = ChildLookupForm(request.POST)
        filters = PersonalAccessFilterForm(request.GET)
        # only the bureau may look children up
        personal_access.personal_access_list(user=request.user)
        child = None
        if lookup.is_valid():
            child = personal_access.student_by_id_number(lookup.cleaned_data["id_number"])
            if child is None:
                lookup.add_error("id_number", "没有找到持这个证件号的学生。")
        if child is None:
            return self.render_to_response(self.get_context_data(lookup=lookup, filters=filters))
        params = request.GET.copy()
        params.pop("page", None)
        params["child"] = str(child.pk)
        return redirect(f"{request.path}?{params.urlencode()}")

    def get_context_data(self, lookup=None, filters=None, **kwargs):
        filters = filters or PersonalAccessFilterForm(self.request.GET)
        values = filters.cleaned_data if filters.is_valid() else {}
        child_pk = values.get("child")
        entries = personal_access.personal_access_list(
            user=self.request.user,
            actor=(values.get("actor") or "").strip(),
            child=child_pk,
            purpose=values.get("purpose") or "",
        )
        page = Paginator(entries, 50).get_page(self.request.GET.get("page"))
        subjects = personal_access.describe_subjects(page.object_list)
        child = personal_access.child_get(child_pk) if child_pk else None
        params = self.request.GET.copy()
        params.pop("page", None)
        without_child = params.copy()
        without_child.pop("child", None)
        return super().get_context_data(
            filters=filters,
            lookup=lookup or ChildLookupForm(),
            page_obj=page,
            rows=[(entry, subjects[entry.pk]) for entry in page.object_list],
            child=child,
            purposes=personal_access.PURPOSES,
            query_string=params.urlencode(),
            without_child=without_child.urlencode(),
            **kwargs,
        )


@method_decorator(csrf_exempt, name="dispatch")
class CspReportView(View):
    """Where browsers send policy violations: no sign-in (a browser reports on any page), no
    CSRF token (browsers send none); capped, rate-limited, answered with an empty 204."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        try:
            if length > MAX_BODY:
                raise ReportRefused(413, f"报告过大，上限为 {MAX_BODY} 字节。")
            csp_report_receive(body=request.read(MAX_BODY + 1), address=request_address(request))
        except ReportRefused as refused:
            return HttpResponse(
                refused.message, status=refused.status, content_type="text/plain; charset=utf-8"
            )
        return HttpResponse(status=204)


class CspReportListView(LoginRequiredMixin, TemplateView):
    """The violations browsers reported, most recent first (the bureau only)."""

    template_name = "audit/cspreport_list.html"

    def get_context_data(self, **kwargs):
        if not is_bureau(self.request.user):
            raise Http404("页面不存在。")
        page = Paginator(CspReport.objects.all(), 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, reports=page.object_list, **kwargs)
