from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from ruraledu.plans.selectors import plan_get_current

from . import engine, selectors, services
from .engine import DataVersionMoved
from .periods import period_choices, period_default, period_parse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_UPLOAD = 20 * 1024 * 1024


class DocumentListView(LoginRequiredMixin, TemplateView):
    """The user's documents, and the form that generates the progress report (bureau only)."""

    template_name = "documents/document_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        may_generate = engine.KINDS["progress_report"].allowed(self.request.user)
        return super().get_context_data(
            documents=selectors.document_list(user=self.request.user),
            may_generate=may_generate,
            periods=period_choices(today) if may_generate else [],
            default_period=period_default(today).key,
            **kwargs,
        )


class ProgressReportGenerateView(LoginRequiredMixin, View):
    def post(self, request):
        if not engine.KINDS["progress_report"].allowed(request.user):
            raise Http404
        period = period_parse(request.POST.get("period", ""))
        if period is None:
            messages.error(request, "请选择报告期。")
            return redirect("documents:document_list")
        try:
            document = services.progress_report_generate(
                plan=plan_get_current(), period=period, actor=request.user
            )
        except DataVersionMoved as moved:
            messages.error(request, str(moved))
            return redirect("documents:document_list")
        messages.success(request, f"已生成《{document.title}》。")
        return redirect(f"{reverse('documents:document_list')}#doc-{document.pk}")


class DocumentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        document = selectors.document_get(user=request.user, pk=pk)
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.download_name,
            content_type=DOCX,
        )


class DocumentFinalDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        document = selectors.document_get(user=request.user, pk=pk)
        if not document.final_file:
            raise Http404
        return FileResponse(
            document.final_file.open("rb"),
            as_attachment=True,
            filename=document.final_name,
            content_type=DOCX,
        )


class DocumentFinalUploadView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        document = selectors.document_get(user=request.user, pk=pk)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择定稿文件。")
        elif upload.size > MAX_UPLOAD:
            messages.error(request, "文件过大，定稿不能超过 20 MB。")
        else:
            try:
                services.document_final_upload(
                    document=document, actor=request.user, data=upload.read(), filename=upload.name
                )
            except ValidationError as refused:
                messages.error(request, "；".join(refused.messages))
            else:
                messages.success(request, "定稿已上传。")
        return redirect("documents:document_list")
