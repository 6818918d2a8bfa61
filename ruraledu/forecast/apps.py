from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "ruraledu.forecast"
    verbose_name = "生源预测与编制测算"
