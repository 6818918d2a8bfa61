from django.core.management.base import BaseCommand, CommandError

from ruraledu.demo.generator.runner import SCALES, parse_years
from ruraledu.demo.generator.writer import GeneratorError
from ruraledu.demo.services import demo_generate


class Command(BaseCommand):
    help = (
        "生成示例区县的学校、教职工、学生、办学条件与活动数据（虚构，名称带“示例”）。"
        "同一种子生成的数据相同；已有示例数据时拒绝执行，除非加 --replace。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="district",
            help="规模：district（淄川区，约150所学校/校区）、city（淄博市及其下8个区县）、"
            "province（约3万所学校，仅限 PostgreSQL）；tiny 为测试用微型规模。",
        )
        parser.add_argument(
            "--years", default=None, help="学年范围，如 2021-2025（默认；省级默认仅 2025）。"
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）。")
        parser.add_argument(
            "--replace", action="store_true", help="先删除之前生成的示例数据再重新生成。"
        )
        parser.add_argument(
            "--districts", type=int, default=None, help="区县个数（覆盖规模默认值，含淄川区）。"
        )

    def handle(self, *args, **options):
        scale = options["scale"]
        try:
            years = parse_years(options["years"], scale)
            report = demo_generate(
                scale=scale,
                years=years,
                seed=options["seed"],
                replace=options["replace"],
                districts=options["districts"],
                progress=lambda text: self.stdout.write(f"  {text}"),
            )
        except GeneratorError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成{SCALES[scale].label}规模示例数据：{len(report.districts)} 个区县，"
                f"{report.years[0]}–{report.years[-1]} 学年，种子 {report.seed}，"
                f"共 {report.rows} 行，用时 {report.seconds:.1f} 秒。"
            )
        )
        for label, (rows, seconds) in sorted(report.tables.items()):
            rate = rows / seconds if seconds else 0
            self.stdout.write(f"  {label:<36} {rows:>10} 行  {rate:>10.0f} 行/秒（写入）")
