from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ruraledu.orgunits.services import orgunits_load


class Command(BaseCommand):
    help = "导入区县与镇街组织机构（YAML），可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="data/zichuan/orgunits.yaml")

    def handle(self, *args, file: str, **options):
        try:
            changed = orgunits_load(file)
        except (ValidationError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"组织机构导入完成，变更 {changed} 条。")
