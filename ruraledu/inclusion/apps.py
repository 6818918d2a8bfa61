from django.apps import AppConfig


class InclusionConfig(AppConfig):
    name = "ruraledu.inclusion"
    verbose_name = "残疾儿童入学安置与送教上门"
