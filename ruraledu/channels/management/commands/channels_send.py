from django.core.management.base import BaseCommand

from ruraledu.channels.services import deliveries_send_due


class Command(BaseCommand):
    help = "发送到期的企业微信/钉钉群机器人消息（含失败后的重试），供定时任务调用。"

    def handle(self, *args, **options):
        sent = deliveries_send_due()
        self.stdout.write(f"已发送 {sent} 条群机器人消息。")
