"""The bureau's audit pages: a search over the whole trail and the history of one record."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from . import selectors
from .forms import AuditSearchForm


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
        return super().get_context_data(
            form=form,
            page_obj=page,
            events=page.object_list,
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
        context = super().get_context_data(**kwargs)
        context.update(history)
        return context
