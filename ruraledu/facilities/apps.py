from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "ruraledu.facilities"
    verbose_name = "办学条件"
