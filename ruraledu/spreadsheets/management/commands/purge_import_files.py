from django.core.management.base import BaseCommand

from ruraledu.spreadsheets.services import import_files_purge


class Command(BaseCommand):
    help = (
        "把后台进程已中断的导入任务标为失败，并删除超过保留期的上传文件和错误标注文件"
        "（其中含有明文证件号）。建议每日运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="保留天数（默认 7 天）")

    def handle(self, *args, days: int, **options):
        purged = import_files_purge(days=days)
        self.stdout.write(
            f"标为失败的中断任务 {purged.failed} 个；删除过期的上传文件 {purged.uploads} 个、"
            f"错误标注文件 {purged.error_copies} 个。"
        )
