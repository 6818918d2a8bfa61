from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "ruraledu.evaluation"
    verbose_name = "督导评估"

    def ready(self):
        from .drilldown import register

        register()  # the drill-downs of G04 and G05 join the indicator pages
