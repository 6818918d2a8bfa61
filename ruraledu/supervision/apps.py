from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "ruraledu.supervision"
    verbose_name = "督导"
