from django.core.management.base import BaseCommand, CommandError

from ruraledu.core.rollforward import school_year_start
from ruraledu.core.schoolyear import school_year_label


class Command(BaseCommand):
    help = "开始新学年：把上一学年的办学条件、任职、学籍等年度数据整体结转到新学年（可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="新学年，如 2026 表示 2026—2027学年")

    def handle(self, *args, year: int, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("学年应为 2000–2100 之间的年份。")
        copied = school_year_start(year=year)
        self.stdout.write(f"已开始{school_year_label(year)}，由上一学年结转：")
        for name, count in copied.items():
            self.stdout.write(f"  {name}：{count} 条")
