from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    TRANSITION = "transition", "状态变更"
    UPLOAD = "upload", "上传文件"
    IMPORT = "import", "批量导入"
    UNLOCK = "unlock", "解除登录锁定"
    REDACT = "redact", "清除个人信息"
