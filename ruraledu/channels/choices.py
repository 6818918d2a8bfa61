from django.db import models


class ChannelKind(models.TextChoices):
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    RETRYING = "retrying", "等待重试"
    FAILED = "failed", "发送失败"
