"""Daily: tell schools how many of their cared-for children are due a contact."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from ruraledu.leftbehind.reminders import contacts_remind


class Command(BaseCommand):
    help = "留守与困境儿童关爱：超过规定工作日未联系的儿童，每周提醒学校专干和填报员（重复运行不会重复）"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, today=None, **options):
        sent = contacts_remind(today=today or timezone.localdate())
        self.stdout.write(f"发送提醒 {sent} 条")
