from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "ruraledu.hotline"
    verbose_name = "督学热线"
