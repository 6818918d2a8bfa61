from django.apps import AppConfig


class OrgunitsConfig(AppConfig):
    name = "ruraledu.orgunits"
    verbose_name = "组织机构"
