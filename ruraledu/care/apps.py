from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "ruraledu.care"
    verbose_name = "关爱个案"
