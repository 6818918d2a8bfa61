from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from ruraledu.accounts.policy import is_bureau
from ruraledu.core.params import int_param
from ruraledu.plans.selectors import plan_get_current

from . import selectors, services
from .catalogue import KINDS
from .engine import DataVersionMoved
from .models import DocumentTemplate
from .periods import period_choices, period_default, period_parse
from .templates import default_template

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"docx": DOCX, "zip": "application/zip", "pdf": "application/pdf"}
MAX_UPLOAD = 20 * 1024 * 1024


class DocumentListView(LoginRequiredMixin, TemplateView):
    """The user's documents, and the form that generates the progress report (bureau only)."""

    template_name = "documents/document_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        may_generate = KINDS["progress_report"].allowed(self.request.user)
        documents = list(selectors.document_list(user=self.request.user))
        # the final-version form only where the user may upload one (a reader of the
        # district, such as the leader, may not)
        changeable = set(
            selectors.document_list(user=self.request.user, action="change")
            .filter(pk__in=[d.pk for d in documents])
            .values_list("pk", flat=True)
        )
        return super().get_context_data(
            documents=documents,
            changeable=changeable,
            may_generate=may_generate,
            periods=period_choices(today) if may_generate else [],
            default_period=period_default(today).key,
            pending=any(d.pending for d in documents),
            **kwargs,
        )


class ProgressReportGenerateView(LoginRequiredMixin, View):
    def post(self, request):
        if not KINDS["progress_report"].allowed(request.user):
            raise Http404
        period = period_parse(request.POST.get("period", ""))
        if period is None:
            messages.error(request, "请选择报告期。")
            return redirect("documents:document_list")
        project = request.POST.get("project", "")
        try:
            document = services.progress_report_generate(
                plan=plan_get_current(request.user),
                period=period,
                actor=request.user,
                project_number=int_param(project),
            )
        except DataVersionMoved as moved:
            messages.error(request, str(moved))
            return redirect("documents:document_list")
        except ValidationError as refused:  # e.g. a title longer than a document's may be
            messages.error(request, "；".join(refused.messages))
            return redirect("documents:document_list")
        messages.success(request, f"已生成《{document.title}》，PDF 随后生成。")
        return redirect(f"{reverse('documents:document_list')}#doc-{document.pk}")


def _file_response(field, filename: str):
    extension = field.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


class DocumentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        document = selectors.document_get(user=request.user, pk=pk)
        if not document.file:
            raise Http404
        return _file_response(document.file, document.download_name)


class DocumentPdfDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        document = selectors.document_get(user=request.user, pk=pk)
        if not document.pdf_file:
            raise Http404
        return _file_response(document.pdf_file, document.pdf_download_name)


class DocumentFinalDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        document = selectors.document_get(user=request.user, pk=pk)
        if not document.final_file:
            raise Http404
        return _file_response(document.final_file, document.final_name)


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


class BureauOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_bureau(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class TemplateListView(BureauOnlyMixin, TemplateView):
    """Each kind's template in use, its versions, its placeholders and the upload form."""

    template_name = "documents/template_list.html"

    def get_context_data(self, **kwargs):
        versions = {}
        for template in DocumentTemplate.objects.select_related("uploaded_by"):
            versions.setdefault(template.kind, []).append(template)
        kinds = [
            (kind, versions.get(code, []), kind.placeholder_help()) for code, kind in KINDS.items()
        ]
        return super().get_context_data(kinds=kinds, **kwargs)


class TemplateUploadView(BureauOnlyMixin, View):
    def post(self, request, kind: str):
        if kind not in KINDS:
            raise Http404
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择模板文件（.docx）。")
        elif upload.size > MAX_UPLOAD:
            messages.error(request, f"“{upload.name}”过大，模板不能超过 20 MB。")
        else:
            try:
                template = services.document_template_upload(
                    kind_code=kind, actor=request.user, data=upload.read(), filename=upload.name
                )
            except ValidationError as refused:
                messages.error(request, "模板未更换：" + "；".join(refused.messages))
            else:
                messages.success(request, f"已启用{template}，之后生成的文档使用此模板。")
        return redirect(f"{reverse('documents:template_list')}#kind-{kind}")


class TemplateDownloadView(BureauOnlyMixin, View):
    """The template in use (a version's file, or the default when `version` is 0)."""

    def get(self, request, kind: str, version: int):
        if kind not in KINDS:
            raise Http404
        if version == 0:
            response = HttpResponse(default_template(KINDS[kind]), content_type=DOCX)
            name = f"{KINDS[kind].label}默认模板.docx"
            response["Content-Disposition"] = _attachment(name)
            return response
        template = DocumentTemplate.objects.filter(kind=kind, version=version).first()
        if template is None:
            raise Http404
        return _file_response(template.file, f"{KINDS[kind].label}模板第{version}版.docx")


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"


class DiagnosisGenerateView(LoginRequiredMixin, View):
    """生成诊断报告 on a school's page (that school, now) or a town's (all its schools, as a
    zip of PDFs in the background). A unit outside the user's reach is a 404."""

    def post(self, request, code: str):
        from ruraledu.core.schoolyear import year_param
        from ruraledu.indicators.selectors import unit_for_user

        unit = unit_for_user(request.user, code)
        year = year_param(request.POST.get("year"))
        try:
            if unit.kind == "school":
                document = services.school_diagnosis_generate(
                    school=unit, actor=request.user, year=year
                )
                messages.success(request, f"已生成《{document.title}》，PDF 随后生成。")
            else:
                document = services.school_diagnosis_batch_start(
                    unit=unit, actor=request.user, year=year
                )
                messages.success(
                    request, f"已开始生成《{document.title}》，完成后可下载压缩包（PDF 与 Word）。"
                )
        except (DataVersionMoved, ValidationError) as refused:
            messages.error(request, "；".join(getattr(refused, "messages", [str(refused)])))
            return redirect("documents:document_list")
        return redirect(f"{reverse('documents:document_list')}#doc-{document.pk}")


class SelfAssessmentGenerateView(LoginRequiredMixin, View):
    def post(self, request):
        from ruraledu.core.schoolyear import year_param

        if not KINDS["self_assessment"].allowed(request.user):
            raise Http404
        try:
            document = services.self_assessment_generate(
                actor=request.user,
                framework=request.POST.get("framework") or "yzjh",
                year=year_param(request.POST.get("year")),
                unit=request.POST.get("unit", ""),
            )
        except DataVersionMoved as moved:
            messages.error(request, str(moved))
            return redirect("documents:document_list")
        except ValidationError as refused:  # e.g. a title longer than a document's may be
            messages.error(request, "；".join(refused.messages))
            return redirect("documents:document_list")
        messages.success(request, f"已生成《{document.title}》，PDF 随后生成。")
        return redirect(f"{reverse('documents:document_list')}#doc-{document.pk}")


def _download(data: bytes, name: str) -> HttpResponse:
    extension = name.rsplit(".", 1)[-1]
    response = HttpResponse(data, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = _attachment(name)
    return response


class RectificationNoticeDownloadView(LoginRequiredMixin, View):
    """整改通知书 as Word or PDF for those who see the school (as its print page)."""

    def get(self, request, pk: int, fmt: str):
        from django.shortcuts import get_object_or_404

        from ruraledu.accounts.choices import Action
        from ruraledu.accounts.policy import Reach
        from ruraledu.supervision.models import RectificationNotice

        notice = get_object_or_404(
            RectificationNotice.objects.select_related("school__org_unit", "visit__kind"), pk=pk
        )
        if not Reach(request.user, Action.VIEW).covers(notice.school.org_unit.path):
            raise Http404("没有找到该记录。")
        data, name = services.notice_document(
            kind_code="rectification_notice", notice=notice, fmt=fmt, actor=request.user
        )
        return _download(data, name)


class ReturnNoticeDownloadView(LoginRequiredMixin, View):
    """限期返校通知书 as Word or PDF: it names the child, so only those who may print it (the
    town's care roles, the bureau); each download is logged like a print."""

    def get(self, request, pk: int, fmt: str):
        from django.shortcuts import get_object_or_404

        from ruraledu.audit.utils import request_address
        from ruraledu.care.models import ReturnNotice
        from ruraledu.care.permissions import may_print_notice
        from ruraledu.core.models import PersonalDataAccess

        notice = get_object_or_404(
            ReturnNotice.objects.select_related(
                "case__person", "case__town", "case__school__org_unit", "town"
            ),
            pk=pk,
        )
        if not may_print_notice(request.user, notice.case):
            raise Http404("没有找到该通知书。")
        data, name = services.notice_document(
            kind_code="return_notice", notice=notice, fmt=fmt, actor=request.user
        )
        PersonalDataAccess.objects.create(
            user=request.user,
            subject=f"care.dropoutcase:{notice.case.pk}",
            purpose="notice_download",
            address=request_address(request),
        )
        return _download(data, name)
