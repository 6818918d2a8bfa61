from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ruraledu.orgunits.departments import DepartmentMatcher
from ruraledu.plans.docimport import PlanDocError, build_draft, read_document
from ruraledu.plans.yamlio import dump_plan


class Command(BaseCommand):
    help = "从方案原文（.docx 或 .txt）识别重点项目清单，生成方案数据文件草稿。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="方案原文 .docx 或 .txt")
        parser.add_argument("-o", "--output", help="草稿输出路径（默认：与原文同名的 .draft.yaml）")
        parser.add_argument(
            "--code", default="draft-plan", help="方案代码（小写字母、数字、连字符）"
        )

    def handle(self, *args, file: str, output: str | None, code: str, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            draft = build_draft(read_document(source), DepartmentMatcher.from_database(), code)
        except PlanDocError as exc:
            raise CommandError(f"{source.name}：{exc}") from exc
        target = Path(output) if output else source.with_suffix(".draft.yaml")
        target.write_text(dump_plan(draft.data), encoding="utf-8")
        data = draft.data
        self.stdout.write(
            f"已生成草稿 {target}：条目 {len(data['sections'])} 个，项目 {len(data['projects'])} 个，"
            f"部门 {len(data['departments'])} 个，待核对目标 {len(data['targets'])} 个。"
        )
        for warning in draft.warnings:
            self.stderr.write(self.style.WARNING(warning))
