from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "ruraledu.reporting"
    verbose_name = "进展报告"
