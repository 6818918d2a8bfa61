from django.apps import AppConfig


class SchoolYearsConfig(AppConfig):
    name = "ruraledu.schoolyears"
    verbose_name = "学年"
