from django.db import models


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    VALIDATING = "validating", "校验中"
    WRITING = "writing", "导入中"
    DONE = "done", "已完成"
    REJECTED = "rejected", "已拒绝"
    FAILED = "failed", "失败"


RUNNING_STATUSES = frozenset(
    {ImportJobStatus.QUEUED, ImportJobStatus.VALIDATING, ImportJobStatus.WRITING}
)


class ExportJobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


# an export not yet made or failed: a user has at most one (ExportJob's constraint)
EXPORT_WAITING = frozenset({ExportJobStatus.QUEUED, ExportJobStatus.RUNNING})
