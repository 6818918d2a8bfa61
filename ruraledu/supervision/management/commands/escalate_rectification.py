"""Daily: remind schools of rectification deadlines coming up, and raise overdue items to the
town office, then the bureau's 督导室."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from ruraledu.supervision.services import items_escalate, items_remind


class Command(BaseCommand):
    help = (
        "整改期限将到的事项提醒学校和责任督学；逾期未整改的事项按工作日升级到镇街教育办、"
        "区教体局督导室（重复运行不会重复提醒或升级）"
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        reminded = items_remind(today=today)
        raised = items_escalate(today=today)
        self.stdout.write(f"发送期限提醒 {reminded} 条，升级 {raised} 项整改事项。")
