"""Template downloads, uploads and import job pages. Files go out only through these views."""

import tempfile
from io import BytesIO
from pathlib import PurePosixPath
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from ruraledu.accounts.scoping import can
from ruraledu.audit.utils import request_address
from ruraledu.core.schoolyear import school_year_label, year_from_request

from . import exporting, services
from .base import IMPORTERS, Importer, get_importer
from .choices import ExportJobStatus
from .export import SPOOL_BYTES, xlsx_response
from .forms import ExportForm, ImportUploadForm
from .models import ExportJob, ImportJob
from .xlsx_template import write_template

ERRORS_SHOWN = 1_000
EXPORTS_SHOWN = 10


def importer_or_404(kind: str) -> Importer:
    try:
        return get_importer(kind)
    except KeyError:
        raise Http404("未知的数据类型") from None


def kind_title(kind: str) -> str:
    importer = IMPORTERS.get(kind)
    return importer.spec.title if importer else kind


class ImportJobListView(LoginRequiredMixin, ListView):
    """The kinds that can be imported, and the user's own recent jobs."""

    template_name = "spreadsheets/importjob_list.html"
    context_object_name = "jobs"
    paginate_by = 20

    def get_queryset(self):
        jobs = ImportJob.objects.for_user(self.request.user)
        services.import_jobs_fail_stale(jobs=jobs)  # a dead worker's job must not look alive
        return jobs.select_related("created_by")

    def get_context_data(self, **kwargs):
        kinds = sorted(
            ((c.spec.kind, c.spec.title) for c in IMPORTERS.values()), key=lambda k: k[1]
        )
        context = super().get_context_data(kinds=kinds, **kwargs)
        user = self.request.user
        context["uploadable"] = {k for k, c in IMPORTERS.items() if can(user, c.upload_action)}
        context["export_form"] = form = ExportForm()
        # sent here by a page export too wide to make in the request: that export, preset
        wide = self.request.GET.get("export", "")
        if wide in dict(form.fields["kind"].choices):
            form.initial = {"kind": wide, "year": year_from_request(self.request)}
            context["too_wide"] = kind_title(wide)
            context["page_rows"] = exporting.PAGE_ROWS
        context.update(recent_exports(user))
        for job in context["jobs"]:
            job.kind_title = kind_title(job.kind)
        return context


class SheetTemplateView(LoginRequiredMixin, View):
    """The blank template of a kind; it holds no data, so any signed-in user may have it."""

    def get(self, request, kind: str):
        spec = importer_or_404(kind).spec
        stream = BytesIO()
        write_template(spec, stream)
        return xlsx_response(f"{spec.title}导入模板.xlsx", stream.getvalue())


class ImportJobCreateView(UserPassesTestMixin, FormView):
    """Upload a file for a kind and school year; the import runs as a background job."""

    form_class = ImportUploadForm
    template_name = "spreadsheets/importjob_form.html"
    permission_denied_message = "您的角色只能查看数据，不能导入。"

    def test_func(self) -> bool:
        return can(self.request.user, self.importer.upload_action)

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return super().handle_no_permission()  # to the login page
        return TemplateResponse(
            self.request,
            "spreadsheets/importjob_denied.html",
            {"spec": self.importer.spec, "message": self.permission_denied_message},
            status=403,
        )

    def dispatch(self, request, *args, **kwargs):
        self.importer = importer_or_404(kwargs["kind"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            spec=self.importer.spec,
            required=[c for c in self.importer.spec.columns if c.required],
            **kwargs,
        )

    def form_valid(self, form):
        job = services.import_job_create(
            kind=self.importer.spec.kind,
            data=form.content,
            filename=PurePosixPath(form.cleaned_data["file"].name).name,
            year=form.cleaned_data["year"],
            user=self.request.user,
            address=request_address(self.request),
        )
        return redirect("spreadsheets:job_detail", pk=job.pk)


class ImportJobDetailView(LoginRequiredMixin, DetailView):
    """A job's progress (polled by htmx every second while it runs), then its outcome."""

    template_name = "spreadsheets/importjob_detail.html"
    context_object_name = "job"

    def get_queryset(self):
        return ImportJob.objects.for_user(self.request.user)

    def get_object(self, queryset=None):
        job = super().get_object(queryset)
        if job.is_running and services.import_jobs_fail_stale(
            jobs=ImportJob.objects.filter(pk=job.pk)
        ):
            job.refresh_from_db()
        return job

    def get_template_names(self):
        if self.request.htmx:
            return ["spreadsheets/_importjob_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        job = self.object
        if job.errors:  # the cells quote the file: a superuser reading someone's is logged
            exporting.import_copy_logged(
                job, self.request.user, request_address(self.request), what="错误列表"
            )
        return super().get_context_data(
            kind_title=kind_title(job.kind),
            errors_shown=job.errors[:ERRORS_SHOWN],
            errors_hidden=max(job.error_count - ERRORS_SHOWN, 0),
            **kwargs,
        )


class ImportJobRetryView(LoginRequiredMixin, View):
    """Queue a failed job's upload again; if it is gone, say so and offer the upload form."""

    def post(self, request, pk: int):
        job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
        try:
            retry = services.import_job_retry(
                job=job, user=request.user, address=request_address(request)
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            return redirect("spreadsheets:job_detail", pk=retry.pk)
        return redirect("spreadsheets:job_detail", pk=job.pk)


class ImportJobErrorCopyView(LoginRequiredMixin, View):
    """The uploaded file with its errors marked; only for the uploader (or a superuser)."""

    def get(self, request, pk: int):
        job = get_object_or_404(
            ImportJob.objects.for_user(request.user).exclude(error_copy=""), pk=pk
        )
        stem = PurePosixPath(job.filename).stem or kind_title(job.kind)
        response = xlsx_response(f"{stem}（错误标注）.xlsx", job.error_copy.open("rb"))
        exporting.import_copy_logged(job, request.user, request_address(request))
        return response


class ExportView(LoginRequiredMixin, View):
    """Every list exports to .xlsx: the importer's rows for the year, limited to the user's scope
    (and to one school when asked); an export carrying clear ID numbers is logged. One too
    wide for a page to wait on is made under 我的导出 instead."""

    def get(self, request, kind: str):
        title = importer_or_404(kind).spec.title
        year = year_from_request(request)
        school = request.GET.get("school", "")
        if "\x00" in school:  # no code holds one; PostgreSQL refuses it in a query
            raise Http404("学校不存在。")
        stream = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        try:
            exporting.export_write(
                stream,
                kind=kind,
                year=year,
                user=request.user,
                school=school,
                address=request_address(request),
                limit=exporting.PAGE_ROWS,
            )
        except exporting.ExportTooLarge:
            stream.close()
            query = urlencode({"export": kind, "year": year})
            return redirect(f"{reverse('spreadsheets:job_list')}?{query}#exports")
        stream.seek(0)
        return xlsx_response(f"{title}-{year}学年{'-' + school if school else ''}", stream)


class ExportJobCreateView(LoginRequiredMixin, View):
    """Queue the export of everything of a kind in the user's scope (a district's roster takes
    longer than a page may wait); the file is then listed under 我的导出."""

    def post(self, request):
        form = ExportForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择要导出的数据类型和学年。")
        else:
            kind, year = form.cleaned_data["kind"], form.cleaned_data["year"]
            try:
                exporting.export_job_create(
                    kind=kind, year=year, user=request.user, address=request_address(request)
                )
            except exporting.ExportBusy as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"正在生成{school_year_label(year)}{kind_title(kind)}的导出文件，"
                    "完成后在“我的导出”中下载。",
                )
        return redirect(f"{reverse('spreadsheets:job_list')}#exports")


class ExportJobTableView(LoginRequiredMixin, TemplateView):
    """The user's recent exports; the page reloads this table while one is being made."""

    template_name = "spreadsheets/_exportjob_table.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**recent_exports(self.request.user), **kwargs)


class ExportJobDownloadView(LoginRequiredMixin, View):
    """A finished export's file, for its requester only; each download is logged."""

    def get(self, request, pk: int):
        job = get_object_or_404(
            ExportJob.objects.for_user(request.user).exclude(file=""),
            pk=pk,
            status=ExportJobStatus.DONE,
            finished_at__gte=exporting.kept_since(),
        )
        if not exporting.export_download_allowed(job):
            messages.error(request, "您的角色已变更，此前生成的导出文件不再提供，请重新导出。")
            return redirect(f"{reverse('spreadsheets:job_list')}#exports")
        try:
            stored = job.file.open("rb")
        except FileNotFoundError:  # deleted by a purge since the page was shown
            raise Http404("导出文件已过保留期。") from None
        exporting.export_download_logged(job, request_address(request))
        stamp = timezone.localtime(job.finished_at).strftime("%Y%m%d-%H%M")
        return xlsx_response(f"{kind_title(job.kind)}-{job.year}学年-{stamp}", stored)


def recent_exports(user) -> dict:
    """The context of the 我的导出 table: the user's latest exports, and whether one is being
    made (the table then reloads itself)."""
    exporting.export_jobs_fail_stale(jobs=ExportJob.objects.for_user(user))
    exports = list(ExportJob.objects.for_user(user)[:EXPORTS_SHOWN])
    for job in exports:
        job.kind_title, job.year_label = kind_title(job.kind), school_year_label(job.year)
    return {
        "exports": exports,
        "exports_running": any(job.is_running for job in exports),
        "keep_hours": settings.EXPORT_FILE_KEEP_HOURS,
        "kept_since": exporting.kept_since(),
    }
