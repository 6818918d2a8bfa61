"""问责 pages: the candidates and the step form (bureau only), the steps in reach, a step's
page and its document (scoped; out of reach is a 404)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from ruraledu.accounts.policy import is_bureau
from ruraledu.audit.utils import request_address
from ruraledu.core.files import attachment

from . import selectors, services
from .choices import StepKind
from .conf import item_overdue_days, report_overdue_days

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class CandidateListView(LoginRequiredMixin, View):
    """What is overdue past the limits, with the steps already taken and a form for the next."""

    def get(self, request):
        today = timezone.localdate()
        return render(
            request,
            "accountability/candidate_list.html",
            {
                "candidates": selectors.candidate_list(user=request.user, today=today),
                "kinds": StepKind.choices,
                "today": today,
                "report_days": report_overdue_days(),
                "item_days": item_overdue_days(),
            },
        )

    def post(self, request):
        post = request.POST
        upload = request.FILES.get("document")
        document = None
        try:
            if upload is not None:
                if upload.size > MAX_DOCUMENT_BYTES:
                    raise ValidationError(f"文件“{upload.name}”超过 20 MB。")
                document = (upload.read(), upload.name)
            try:
                taken_on = dt.date.fromisoformat(post.get("taken_on", ""))
            except ValueError:
                raise ValidationError("请填写有效的问责日期。") from None
            step = services.step_record(
                actor=request.user,
                candidate_key=post.get("candidate", ""),
                kind=post.get("kind", ""),
                taken_on=taken_on,
                reason=post.get("reason", ""),
                document=document,
                address=request_address(request),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("accountability:candidate_list")
        messages.success(request, f"已记录{step.get_kind_display()}，并已通知{step.subject}。")
        return redirect("accountability:step_detail", pk=step.pk)


class StepListView(LoginRequiredMixin, View):
    def get(self, request):
        return render(
            request,
            "accountability/step_list.html",
            {
                "steps": selectors.step_list(user=request.user)[:200],
                "bureau": is_bureau(request.user),
            },
        )


COCKPIT_LIMIT = 8


class RecentStepsView(LoginRequiredMixin, View):
    """The cockpit's 近期问责 panel, fetched after the page so that the cockpit's own queries
    and cache stay as they are."""

    def get(self, request):
        steps = list(selectors.step_list(user=request.user)[:COCKPIT_LIMIT])
        return render(
            request,
            "accountability/_steps.html",
            {"steps": steps, "title": "近期问责", "show_subject": True, "more": True},
        )


class StepDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        step = selectors.step_get(user=request.user, pk=pk)
        return render(request, "accountability/step_detail.html", {"step": step})


class DocumentDownloadView(LoginRequiredMixin, View):
    """A step's document goes out only here, scoped like its step, as an attachment."""

    def get(self, request, pk):
        step = selectors.step_get(user=request.user, pk=pk)
        if not step.document:
            raise Http404("该记录没有文件。")
        return attachment(
            step.document, filename=step.document_name, content_type=step.document_type
        )
