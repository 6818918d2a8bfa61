"""The bureau's import of the 质量监测 results for an evaluation's school year (item Q09)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.views import View

from ruraledu.core.views import StepRefused
from ruraledu.spreadsheets.safety import UploadRefused
from ruraledu.spreadsheets.services import ImportRejected

from .forms import MonitoringForm
from .monitoring_import import results_import, template_bytes
from .views import MONITORING_ITEM, EvaluationMixin, ItemActionView


class MonitoringImportView(ItemActionView):
    """A form of Q09's page: a refused import comes back on it (400), the file's own problem
    under the file field, a rejected file's errors (the first 50) above the form."""

    form_class = MonitoringForm
    step = "monitoring"
    stores_evaluation = False  # the district's results for the year, not the evaluation's
    refusals = (UploadRefused, ImportRejected, ValidationError, PermissionDenied)

    def post(self, request, unit, framework, year):
        return super().post(request, unit, framework, year, MONITORING_ITEM)

    def act(self, item, data) -> str:
        upload = data["file"]
        added, updated = results_import(
            unit=self.evaluation.unit,
            year=self.evaluation.year,
            actor=self.request.user,
            data=upload.read(),
            filename=upload.name,
        )
        return f"已导入质量监测结果：新增 {added} 条，更新 {updated} 条；指标正在后台重新计算。"

    def reasons(self, exc, form) -> dict:
        if isinstance(exc, UploadRefused):
            form.add_error("file", exc.message)
            return {}
        if isinstance(exc, ImportRejected):
            reason = f"导入被拒绝：共 {len(exc.errors)} 处错误，未写入任何结果。"
            return {
                "refused": StepRefused(step=self.step, reason=reason, typed=self.request.POST),
                "import_errors": exc.errors[:50],
            }
        return super().reasons(exc, form)


class MonitoringTemplateView(EvaluationMixin, View):
    def get(self, request, unit, framework, year):
        response = HttpResponse(
            template_bytes(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''monitoring-results.xlsx"
        return response
