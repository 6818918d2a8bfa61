from django.core.management.base import BaseCommand
from django.utils import timezone

from ruraledu.reporting.services import holidays_seed
from ruraledu.reporting.workdays import missing_years


class Command(BaseCommand):
    help = "从 chinese-calendar 导入法定节假日与调休上班日（已有日期保持不变，可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="年份，默认为该软件包已知的全部年份")

    def handle(self, *args, **options):
        added = holidays_seed(years=options["years"] or None)
        self.stdout.write(f"新增 {added} 天。")
        this_year = timezone.localdate().year
        missing = missing_years(range(this_year, this_year + 3))
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"以下年份没有节假日数据，截止日期只按周末计算：{'、'.join(map(str, missing))}。"
                    "请在“节假日安排”页面按国务院办公厅通知补录。"
                )
            )
