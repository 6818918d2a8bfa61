from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from ruraledu.indicators.charts import sparkline
from ruraledu.plans.selectors import plan_get_current

from . import selectors


class CockpitView(LoginRequiredMixin, TemplateView):
    template_name = "dashboards/cockpit.html"

    def get_context_data(self, **kwargs):
        plan = plan_get_current()
        data = selectors.dashboard_cockpit(plan=plan)
        for figure in data["headlines"]:
            figure["chart"] = sparkline(points=figure["points"])
            figure["spark_id"] = f"spark-{figure['code']}"
        return super().get_context_data(plan=plan, **data, **kwargs)
