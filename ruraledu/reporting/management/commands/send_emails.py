from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ruraledu.reporting.choices import EmailStatus
from ruraledu.reporting.models import Notification
from ruraledu.reporting.reminders import send_pending_emails

BATCH = 500  # notices claimed at a time
MAX_BATCHES = 20  # a day's run sends up to 10,000; what a failing server leaves, the next


class Command(BaseCommand):
    help = (
        "发送尚待发送的通知邮件（每日任务最后运行，把各项提醒一并发出；"
        "办理中的通知由后台任务随即发送）。可重复运行，不会重复发送。"
        "本次全部发送失败（邮件服务器不可用或设置有误）时以失败结束。"
    )

    def handle(self, *args, **options):
        started = timezone.now()
        total = 0
        for _ in range(MAX_BATCHES):
            sent = send_pending_emails(limit=BATCH)
            total += sent
            if sent < BATCH:  # none left, or the server refused some: the next run retries
                break
        # a claim is stamped when taken: the failures are this run's own
        failed = Notification.objects.filter(
            email_status=EmailStatus.FAILED, email_claimed_at__gte=started
        ).count()
        if failed and not total:
            # one bad address is the recipient's matter; nothing at all sent is the server's
            raise CommandError(
                f"{failed} 封邮件全部发送失败，请检查邮件服务器设置（EMAIL_HOST 等）。"
                "通知仍在平台内，下次运行时重试。"
            )
        self.stdout.write(f"发送邮件 {total} 封。")
        if failed:
            self.stdout.write(f"另有 {failed} 封发送失败，下次运行时重试。")
