from django.core.management.base import BaseCommand

from ruraledu.spreadsheets.services import import_files_purge


class Command(BaseCommand):
    help = "删除超过保留期的导入错误标注文件（其中含有明文证件号）。建议每日运行。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="保留天数（默认 7 天）")

    def handle(self, *args, days: int, **options):
        self.stdout.write(f"已删除 {import_files_purge(days=days)} 个过期的错误标注文件。")
