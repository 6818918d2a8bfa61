from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "ruraledu.dashboards"
    verbose_name = "驾驶舱"
