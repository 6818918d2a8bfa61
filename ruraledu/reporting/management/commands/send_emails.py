from django.core.management.base import BaseCommand, CommandError

from ruraledu.reporting.reminders import EmailRun, email_pending

BATCH = 500  # notices claimed at a time
MAX_BATCHES = 20  # a day's run sends up to 10,000; what a failing server leaves, the next


class Command(BaseCommand):
    help = (
        "发送尚待发送的通知邮件（每日任务最后运行，把各项提醒一并发出；"
        "办理中的通知由后台任务随即发送）。可重复运行，不会重复发送。"
        "邮件服务器连不上或拒绝登录、一封也未发出时以失败结束；个别收件地址被拒只报告封数。"
    )

    def handle(self, *args, **options):
        total = EmailRun()
        for _ in range(MAX_BATCHES):
            run = email_pending(limit=BATCH)
            total.add(run)
            if run.sent < BATCH:  # none left, or the server refused some: the next run retries
                break
        # the run's own claims only: a refused address is its owner's matter, a server that
        # took nothing at all is the install's
        if total.failed and not total.sent:
            raise CommandError(
                f"{total.failed} 封邮件发送失败，一封也未发出，请检查邮件服务器设置"
                "（EMAIL_HOST 等）。通知仍在平台内，下次运行时重试。"
            )
        self.stdout.write(f"发送邮件 {total.sent} 封。")
        if unsent := total.refused + total.failed:
            self.stdout.write(f"另有 {unsent} 封发送失败，下次运行时重试。")
