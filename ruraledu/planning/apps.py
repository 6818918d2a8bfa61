from django.apps import AppConfig


class PlanningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ruraledu.planning"
    verbose_name = "决策支持"
