from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "ruraledu.aid"
    verbose_name = "精准资助"
