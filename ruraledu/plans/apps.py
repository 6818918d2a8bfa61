from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ruraledu.plans"
    verbose_name = "工作方案"
