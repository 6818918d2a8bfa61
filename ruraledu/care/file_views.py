"""A case's files: uploaded through the case page (the service checks content and scope) and
served only to those who may see the case, as an attachment."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views import View

from ruraledu.audit.utils import request_address
from ruraledu.core.files import attachment

from . import forms, services
from .models import CaseFile
from .permissions import clear_names
from .views import CaseDetailView, _step_forms, _visible_case, log_reads, may_add_files


class CaseFileUploadView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        case = _visible_case(request, pk)
        form = forms.CaseFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._refused(request, case, form)
        upload = form.cleaned_data["file"]
        try:
            services.case_file_add(
                case=case,
                actor=request.user,
                version=form.cleaned_data["version"],
                kind=form.cleaned_data["kind"],
                data=upload.read(),
                filename=upload.name,
                address=request_address(request),
            )
        except PermissionDenied as error:
            raise Http404("没有找到该个案。") from error
        except ValidationError as error:
            form.add_error(None, error)
            return self._refused(request, case, form)
        messages.success(request, "材料已上传。")
        return redirect("care:case_detail", pk=case.pk)

    @staticmethod
    def _refused(request, case, form):
        """The case page again with the refused form, so the chosen 材料类别 stays beside the
        reason; a case that takes no more files (closed meanwhile) goes back with the reason."""
        case = _visible_case(request, case.pk)
        if not may_add_files(request.user, case):
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect("care:case_detail", pk=case.pk)
        steps = _step_forms(request.user, case)
        return CaseDetailView.render_case(request, case, steps, status=400, file_form=form)


class CaseFileDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        case_file = CaseFile.objects.filter(pk=pk).only("case_id").first()
        if case_file is None:
            raise Http404("没有找到该文件。")
        case = _visible_case(request, case_file.case_id)
        if not clear_names(request.user, case):
            # a certificate names the child: not for whoever sees the case masked (a town
            # office before the case is escalated to it)
            raise Http404("没有找到该文件。")
        case_file = case.files.get(pk=pk)
        log_reads(request, [case], "case_file")
        return attachment(
            case_file.file, filename=case_file.original_name, content_type=case_file.content_type
        )
