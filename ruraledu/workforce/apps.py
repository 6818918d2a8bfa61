from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "ruraledu.workforce"
    verbose_name = "教职工"
