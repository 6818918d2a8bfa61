"""Daily: remind of the case steps falling due, raise overdue cases to the town and bureau."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from ruraledu.care.services.escalation import cases_follow_up


class Command(BaseCommand):
    help = "控辍保学个案：临近期限提醒办理人，逾期个案按工作日升级到镇街教育办、区教体局（重复运行不会重复）"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, today=None, **options):
        stats = cases_follow_up(today=today or timezone.localdate())
        self.stdout.write(str(stats))
