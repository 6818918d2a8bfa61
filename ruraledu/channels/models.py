"""Group-robot webhooks (企业微信, 钉钉) per department, town or school, and each message
queued for them. Messages hold a title and a link only: see privacy.py."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ruraledu.orgunits.choices import BUREAU_KINDS, OrgUnitKind

from .choices import ChannelKind, DeliveryStatus
from .fields import EncryptedTextField

CHANNEL_UNIT_KINDS = (
    *BUREAU_KINDS,  # a city's or province's bureau above many districts has its robot too
    OrgUnitKind.TOWN,
    OrgUnitKind.SUBDISTRICT,
    OrgUnitKind.ZONE,
    OrgUnitKind.SCHOOL,
)


class WebhookChannel(models.Model):
    """A group robot that receives the notices of the users holding a role on its unit."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=ChannelKind.choices)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="组织机构（镇街或学校）",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_channels",
        limit_choices_to={"kind__in": CHANNEL_UNIT_KINDS},
    )
    department = models.ForeignKey(
        "orgunits.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_channels",
    )
    # both are secrets (the address carries the robot's key): encrypted at rest
    url = EncryptedTextField(
        "机器人地址", max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    secret = EncryptedTextField(
        "加签密钥", max_length=200, blank=True, default="", help_text="钉钉机器人“加签”的密钥"
    )
    markdown = models.BooleanField("以富文本格式发送", default=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "推送渠道"
        verbose_name_plural = "推送渠道"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(org_unit__isnull=False) & Q(department__isnull=True))
                | (Q(org_unit__isnull=True) & Q(department__isnull=False)),
                name="channel_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def clean(self) -> None:
        if bool(self.org_unit_id) == bool(self.department_id):
            raise ValidationError("请在“组织机构”和“部门”中选择且只选择一项。")
        if not self.url.startswith(("https://", "http://")):
            raise ValidationError({"url": "机器人地址须以 https:// 开头。"})
        if self.kind == ChannelKind.DINGTALK and not self.secret:
            raise ValidationError({"secret": "钉钉机器人须启用“加签”并填写密钥。"})


class ChannelDelivery(models.Model):
    """One message to one channel. `dedupe_key` (the notice's) keeps one message per channel
    however many of the unit's users received the notice."""

    channel = models.ForeignKey(
        WebhookChannel, verbose_name="渠道", on_delete=models.CASCADE, related_name="deliveries"
    )
    dedupe_key = models.CharField("去重键", max_length=200)
    title = models.CharField("标题", max_length=200)
    url = models.CharField("链接", max_length=300, blank=True, default="")
    redacted = models.BooleanField("已隐去个人信息", default=False)
    status = models.CharField(
        "状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", default=timezone.now, db_index=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True, default="")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "推送记录"
        verbose_name_plural = "推送记录"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "dedupe_key"], name="delivery_dedupe")
        ]

    def __str__(self) -> str:
        return f"{self.channel.name}：{self.title}"
