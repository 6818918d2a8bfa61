from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ruraledu.spreadsheets.base import IMPORTERS, get_importer
from ruraledu.spreadsheets.xlsx_template import write_template


class Command(BaseCommand):
    help = "写出某类数据的 Excel 导入模板（含表头、填写说明与下拉列表）"

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"数据类型，可选：{'、'.join(IMPORTERS) or '（无）'}")
        parser.add_argument("out", type=Path, help="输出文件，如 学生名册.xlsx")

    def handle(self, *args, kind: str, out: Path, **options):
        try:
            importer = get_importer(kind)
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as stream:
            write_template(importer.spec, stream)
        self.stdout.write(self.style.SUCCESS(f"已写出“{importer.spec.title}”导入模板：{out}"))
