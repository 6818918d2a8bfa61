from django.core.management.base import BaseCommand

from ruraledu.reporting.reminders import send_pending_emails


class Command(BaseCommand):
    help = (
        "发送尚待发送的通知邮件（每日任务最后运行，把各项提醒一并发出；"
        "办理中的通知由后台任务随即发送）。可重复运行，不会重复发送。"
    )

    def handle(self, *args, **options):
        self.stdout.write(f"发送邮件 {send_pending_emails()} 封。")
