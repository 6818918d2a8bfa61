from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "ruraledu.evaluation"
    verbose_name = "督导评估"
