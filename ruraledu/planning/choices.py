from django.db import models


class ScenarioStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    QUEUED = "queued", "排队中"
    RUNNING = "running", "计算中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
