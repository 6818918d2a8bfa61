from django.core.management.base import BaseCommand, CommandError

from ruraledu.core.locks import exclusive
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.services import recompute


class Command(BaseCommand):
    help = (
        "计算全部指标（每个单位、每个学年）并保存，然后评估全部目标状态。数据未变时不改变已存的值。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="只计算该学年（可重复）")
        parser.add_argument("--code", action="append", help="只计算该指标（可重复）")

    def handle(self, *args, year=None, code=None, **options):
        unknown = [c for c in code or [] if c not in REGISTRY]
        if unknown:
            raise CommandError(f"未知的指标代码：{'、'.join(unknown)}")

        def progress(done, total):
            self.stdout.write(f"  已完成 {done}/{total} 个学年")

        with exclusive("recompute"):  # never beside a background recompute
            stats = recompute(years=year, codes=code, progress=progress)
        self.stdout.write(f"指标计算完成：{stats.summary()}。")
