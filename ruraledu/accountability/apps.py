from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "ruraledu.accountability"
    verbose_name = "问责"
