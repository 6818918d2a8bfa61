from django.core.management.base import BaseCommand
from django.utils import timezone

from ruraledu.hotline.services import complaints_remind


class Command(BaseCommand):
    help = "督学热线：向承办单位发送即将到期和逾期提醒（重复运行不会重复发送）。"

    def handle(self, *args, **options):
        due_soon, overdue = complaints_remind(today=timezone.localdate())
        self.stdout.write(f"即将到期提醒 {due_soon} 条；逾期提醒 {overdue} 条")
