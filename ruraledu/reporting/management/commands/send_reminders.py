import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ruraledu.reporting.reminders import reminders_send


class Command(BaseCommand):
    help = "每日提醒：生成新的报告期，向未提交单位发送即将截止/逾期提醒，向审核人发送汇总（可重复运行，不会重复发送）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按此日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式不正确：{options['date']}（应为 YYYY-MM-DD）") from exc
        stats = reminders_send(today=today)
        self.stdout.write(str(stats))
