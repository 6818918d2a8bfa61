from django.db import models


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


class Verdict(models.TextChoices):
    MET = "met", "符合"
    PARTLY = "partly", "基本符合"
    NOT_MET = "not_met", "不符合"
    NOT_APPLICABLE = "na", "不适用"


class VisitStatus(models.TextChoices):
    DRAFT = "draft", "记录中"
    SIGNED_OFF = "signed_off", "已签字确认（锁定）"


class ItemStatus(models.TextChoices):
    OPEN = "open", "待下发"
    NOTIFIED = "notified", "整改中"
    ANSWERED = "answered", "学校已反馈，待核查"
    RETURNED = "returned", "核查未通过，已退回"
    CLOSED = "closed", "已销号"


# items the school still has to work on: the deadline counts for them
PENDING_STATUSES = (ItemStatus.NOTIFIED, ItemStatus.RETURNED)
OPEN_STATUSES = tuple(s for s in ItemStatus if s != ItemStatus.CLOSED)


class Escalation(models.IntegerChoices):
    NONE = 0, "未升级"
    TOWN = 1, "已报镇街教育办"
    BUREAU = 2, "已报区教体局督导室"


class ItemEventKind(models.TextChoices):
    CREATED = "created", "列为整改事项"
    NOTIFIED = "notified", "下发整改通知书"
    ANSWERED = "answered", "学校反馈整改情况"
    RETURNED = "returned", "核查未通过，退回"
    CLOSED = "closed", "核查通过，销号"
    ESCALATED = "escalated", "逾期升级"
