from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "ruraledu.channels"
    verbose_name = "消息推送渠道"
