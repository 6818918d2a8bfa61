from django.db import models


class DocumentKind(models.TextChoices):
    PROGRESS_REPORT = "progress_report", "进展情况报告"


class PeriodKind(models.TextChoices):
    QUARTERLY = "quarterly", "季度"
    YEARLY = "yearly", "年度"
