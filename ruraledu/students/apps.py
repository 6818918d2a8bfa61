from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "ruraledu.students"
    verbose_name = "学生"
