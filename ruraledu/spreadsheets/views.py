"""Template downloads, uploads and import job pages. Files go out only through these views."""

from io import BytesIO
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from ruraledu.accounts.scoping import can
from ruraledu.audit.personal_access import ChildReads
from ruraledu.audit.utils import request_address
from ruraledu.core.models import PersonalDataAccess
from ruraledu.core.schoolyear import year_from_request

from . import services
from .base import IMPORTERS, Importer, get_importer
from .export import export_response, xlsx_response
from .forms import ImportUploadForm
from .importing import can_view_personal
from .models import ImportJob
from .xlsx_template import write_template

ERRORS_SHOWN = 1_000


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
            retry = services.import_job_retry(job=job, user=request.user)
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
        return xlsx_response(f"{stem}（错误标注）.xlsx", job.error_copy.open("rb"))


class ExportView(LoginRequiredMixin, View):
    """Every list exports to .xlsx: the importer's rows for the year, limited to the user's scope
    (and to one school when asked); an export carrying clear ID numbers is logged."""

    def get(self, request, kind: str):
        importer = importer_or_404(kind)
        year = year_from_request(request)
        rows = importer.export_rows(year=year, user=request.user)
        school = request.GET.get("school", "")
        if school:
            rows = (row for row in rows if row.get("school") == school)
        if any(c.kind == "id_number" for c in importer.spec.columns) and can_view_personal(
            request.user
        ):
            PersonalDataAccess.objects.create(
                user=request.user,
                subject=f"export:{kind}:{year}:{school or '全部'}"[:50],
                purpose="export",
                address=request_address(request),
            )
        title = importer.spec.title
        reads = ChildReads(request, "export")  # each child a row names is logged
        response = export_response(
            filename_zh=f"{title}-{year}学年{'-' + school if school else ''}",
            columns=importer.spec.columns,
            rows=reads.through(rows),
            sheet_title=title,
        )
        reads.save()
        return response
