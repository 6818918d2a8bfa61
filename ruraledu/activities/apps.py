from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "ruraledu.activities"
    verbose_name = "活动与项目"
