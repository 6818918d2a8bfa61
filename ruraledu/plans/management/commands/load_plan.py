from django.core.management.base import BaseCommand, CommandError

from ruraledu.orgunits.models import OrgUnit
from ruraledu.plans.loader import PlanFileError, load_plan


class Command(BaseCommand):
    help = "校验并导入工作方案数据文件（YAML）。整体导入，重复执行不产生变化。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="方案数据文件，例如 plans/zichuan-2023.yaml")
        parser.add_argument(
            "--unit",
            default=None,
            help="制定该方案的区县或市的代码（一个平台服务多个区县时必填，如 370302）；"
            "不填为本平台唯一的方案。",
        )

    def handle(self, *args, file: str, unit: str | None = None, **options):
        owner = None
        if unit:
            owner = OrgUnit.objects.filter(code=unit).first()
            if owner is None:
                raise CommandError(f"没有代码为“{unit}”的单位，请先导入组织机构。")
        try:
            stats = load_plan(file, owner)
        except PlanFileError as exc:
            raise CommandError("方案文件校验未通过，未写入任何数据：\n" + str(exc)) from exc
        if not stats.changed:
            self.stdout.write("方案数据与文件一致，无变化。")
            return
        for label, bucket in (
            ("新增", stats.created),
            ("更新", stats.updated),
            ("删除", stats.deleted),
        ):
            if bucket:
                detail = "，".join(f"{name} {n}" for name, n in bucket.items())
                self.stdout.write(f"{label}：{detail}")
        self.stdout.write(self.style.SUCCESS("方案导入完成。"))
