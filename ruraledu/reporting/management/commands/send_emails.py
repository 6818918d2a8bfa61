from django.core.management.base import BaseCommand

from ruraledu.reporting.reminders import send_pending_emails

BATCH = 500  # notices claimed at a time
MAX_BATCHES = 20  # a day's run sends up to 10,000; what a failing server leaves, the next


class Command(BaseCommand):
    help = (
        "发送尚待发送的通知邮件（每日任务最后运行，把各项提醒一并发出；"
        "办理中的通知由后台任务随即发送）。可重复运行，不会重复发送。"
    )

    def handle(self, *args, **options):
        total = 0
        for _ in range(MAX_BATCHES):
            sent = send_pending_emails(limit=BATCH)
            total += sent
            if sent < BATCH:  # none left, or the server refused some: the next run retries
                break
        self.stdout.write(f"发送邮件 {total} 封。")
