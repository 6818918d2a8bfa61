from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ruraledu.demo"
    verbose_name = "示例数据"
