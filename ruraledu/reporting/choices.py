from django.db import models


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"
    YEARLY = "yearly", "每年"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    RESUBMITTED = "resubmitted", "已重新提交"
    APPROVED = "approved", "已通过"


# Reports the reporter may still change, and reports waiting for the bureau.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
WAITING_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)
HANDED_IN_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED, ReportStatus.APPROVED)


class ReportEventKind(models.TextChoices):
    CREATED = "created", "创建草稿"
    SAVED = "saved", "保存修改"
    EVIDENCE_ADDED = "evidence_added", "上传佐证材料"
    EVIDENCE_REMOVED = "evidence_removed", "删除佐证材料"
    SUBMITTED = "submitted", "提交"
    RETURNED = "returned", "退回修改"
    RESUBMITTED = "resubmitted", "重新提交"
    APPROVED = "approved", "审核通过"
    MILESTONE_DONE = "milestone_done", "确认节点任务已完成"
    URGED = "urged", "催办"
    # kinds the care, supervision and hotline work send; declared here so the inbox knows them
    TASK = "task", "待办提醒"
    ESCALATED = "escalated", "逾期升级"
    COMPLAINT = "complaint", "热线工单"
    ACCOUNTABILITY = "accountability", "问责"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class CalendarDaySource(models.TextChoices):
    PACKAGE = "package", "chinese-calendar 导入"
    MANUAL = "manual", "人工录入"


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", "即将截止"
    OVERDUE = "overdue", "已逾期"
    REVIEW_DIGEST = "review_digest", "待审核汇总"
    SUBMITTED = "submitted", "报告待审核"
    RETURNED = "returned", "报告被退回"
    APPROVED = "approved", "报告已通过"
    URGED = "urged", "催办"
    # kinds the care, supervision and hotline work send; declared here so the inbox knows them
    TASK = "task", "待办提醒"
    ESCALATED = "escalated", "逾期升级"
    COMPLAINT = "complaint", "热线工单"
    ACCOUNTABILITY = "accountability", "问责"


class EmailStatus(models.TextChoices):
    NONE = "none", "不发送"
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
