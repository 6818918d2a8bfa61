"""The bureau's import of the 质量监测 results for an evaluation's school year (item Q09)."""

from django.contrib import messages
from django.http import HttpResponse
from django.views import View

from ruraledu.spreadsheets.safety import UploadRefused
from ruraledu.spreadsheets.services import ImportRejected

from .monitoring_import import results_import, template_bytes
from .views import EvaluationMixin

ITEM = "Q09"


class MonitoringImportView(EvaluationMixin, View):
    def post(self, request, unit, framework, year):
        back = self.back(ITEM)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择质量监测结果文件。")
            return back
        try:
            added, updated = results_import(
                unit=self.evaluation.unit,
                year=year,
                actor=request.user,
                data=upload.read(),
                filename=upload.name,
            )
        except UploadRefused as exc:
            messages.error(request, exc.message)
        except ImportRejected as exc:
            for error in exc.errors[:50]:
                messages.error(request, str(error))
            messages.error(request, f"导入被拒绝：共 {len(exc.errors)} 处错误，未写入任何结果。")
        else:
            messages.success(
                request,
                f"已导入质量监测结果：新增 {added} 条，更新 {updated} 条；指标正在后台重新计算。",
            )
        return back


class MonitoringTemplateView(EvaluationMixin, View):
    def get(self, request, unit, framework, year):
        response = HttpResponse(
            template_bytes(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''monitoring-results.xlsx"
        return response
