from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ruraledu.core"
    verbose_name = "基础"
