"""Daily: raise overdue rectification items to the town office, then the bureau's 督导室."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from ruraledu.supervision.services import items_escalate


class Command(BaseCommand):
    help = "逾期未整改的事项按工作日升级到镇街教育办、区教体局督导室（重复运行不会重复升级）"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, today=None, **options):
        raised = items_escalate(today=today or timezone.localdate())
        self.stdout.write(f"升级 {raised} 项整改事项。")
