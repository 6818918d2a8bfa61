from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ruraledu.indicators"
    verbose_name = "指标与目标"

    def ready(self):
        from . import definitions  # noqa: F401  (registers every indicator)
