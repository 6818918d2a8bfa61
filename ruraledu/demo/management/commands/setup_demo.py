from django.core.management.base import BaseCommand, CommandError

from ruraledu.accounts.twofactor import two_factor_note
from ruraledu.demo.generator.runner import SCALES, parse_years
from ruraledu.demo.generator.writer import GeneratorError
from ruraledu.demo.history import status_history_replay
from ruraledu.demo.services import DEMO_PASSWORD, demo_setup
from ruraledu.indicators.models import TargetStatusChange
from ruraledu.indicators.services import recompute


class Command(BaseCommand):
    help = "导入淄川方案与组织机构，生成示例区县数据（已存在则跳过），创建各角色示例账号（可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=[name for name, scale in SCALES.items() if not scale.postgres_only],
            default="district",
            help="示例数据规模（默认 district；city 为淄博市及其下 8 个区县，每个区县一份方案，"
            "默认 2024–2025 两个学年；tiny、tiny-city 供测试使用）。",
        )
        parser.add_argument("--years", default=None, help="学年范围（默认 2021-2025）。")

    def handle(self, *args, **options):
        # the status history is replayed only on a database that has never judged a target
        fresh = not TargetStatusChange.objects.exists()
        try:
            years = parse_years(options["years"], options["scale"])
            if SCALES[options["scale"]].city:  # a city with several districts, each its plan
                from ruraledu.demo.city import CITY_YEARS, city_demo_setup

                years = years if options["years"] else CITY_YEARS
                logins = city_demo_setup(scale=options["scale"], years=years)
            else:
                logins = demo_setup(scale=options["scale"], years=years)
        except GeneratorError as exc:
            raise CommandError(str(exc)) from exc
        stats = recompute()
        self.stdout.write(
            f"指标已计算：{len(stats.years)} 个学年，新增 {stats.created}、更新 {stats.updated} 个指标值（{stats.seconds:.1f} 秒）。"
        )
        if fresh and (replayed := status_history_replay()):
            self.stdout.write(f"目标状态历史：按各学年数据回放，记录 {replayed} 次状态变化。")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"示例账号（初始密码均为 {DEMO_PASSWORD}）："))
        for login in logins:
            self.stdout.write(f"  {login.username:<11} {login.role}  —  {login.where}")
        self.stdout.write(two_factor_note())
        self.stdout.write("")
