from django.db import models


class DocumentKind(models.TextChoices):
    PROGRESS_REPORT = "progress_report", "进展情况报告"
    SCHOOL_DIAGNOSIS = "school_diagnosis", "学校诊断报告"
    SELF_ASSESSMENT = "self_assessment", "优质均衡自评报告"
    RECTIFICATION_NOTICE = "rectification_notice", "整改通知书"
    RETURN_NOTICE = "return_notice", "限期返校通知书"


class PeriodKind(models.TextChoices):
    QUARTERLY = "quarterly", "季度"
    YEARLY = "yearly", "年度"


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
