from django.core.management.base import BaseCommand

from ruraledu.evaluation.frameworks import frameworks_load


class Command(BaseCommand):
    help = "导入或刷新优质均衡、普及普惠两个督导评估办法的全部指标（区教体局修改过的标准值保留）"

    def handle(self, *args, **options):
        created, updated = frameworks_load()
        self.stdout.write(f"评估指标：新增 {created} 项，更新 {updated} 项。")
