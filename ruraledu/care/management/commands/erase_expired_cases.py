"""Daily: erase the personal fields of cases closed longer ago than the bureau's period."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from ruraledu.care.services.retention import cases_erase_expired, retention_years


class Command(BaseCommand):
    help = "控辍保学个案：结案超过区教体局设定的保存年限后清除个人信息（人数与指标不变）"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, today=None, **options):
        years = retention_years()
        if years is None:
            self.stdout.write("区教体局尚未设定保存期限，未清除任何个案。")
            return
        erased = cases_erase_expired(today=today or timezone.localdate())
        self.stdout.write(f"结案后保存 {years} 年：清除 {erased} 个个案的个人信息。")
