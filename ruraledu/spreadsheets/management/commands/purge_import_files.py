from django.core.management.base import BaseCommand

from ruraledu.spreadsheets.exporting import export_files_purge, export_jobs_fail_stale
from ruraledu.spreadsheets.services import import_files_purge


class Command(BaseCommand):
    help = (
        "把后台进程已中断的导入、导出任务标为失败，并删除超过保留期的上传文件、错误标注文件"
        "和导出文件（其中含有明文证件号）。建议每日运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="保留天数（默认 7 天）")

    def handle(self, *args, days: int, **options):
        purged = import_files_purge(days=days)
        failed = purged.failed + export_jobs_fail_stale()
        exports = export_files_purge()
        self.stdout.write(
            f"标为失败的中断任务 {failed} 个；删除过期的上传文件 {purged.uploads} 个、"
            f"错误标注文件 {purged.error_copies} 个、导出文件 {exports} 个。"
        )
