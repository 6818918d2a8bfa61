from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from ruraledu.spreadsheets.base import IMPORTERS
from ruraledu.spreadsheets.safety import UploadRefused
from ruraledu.spreadsheets.services import ImportRejected, import_run


class Command(BaseCommand):
    help = "导入一个 Excel 文件：全部校验通过才写入，否则列出全部错误、不写入任何数据"

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"数据类型，可选：{'、'.join(IMPORTERS) or '（无）'}")
        parser.add_argument("file", type=Path, help="要导入的 .xlsx 文件")
        parser.add_argument(
            "--year", type=int, required=True, help="学年，如 2025 表示 2025—2026 学年"
        )
        parser.add_argument(
            "--user", help="以该用户的身份和权限范围导入；省略时使用第一个启用的超级用户"
        )

    def handle(self, *args, kind: str, file: Path, year: int, user: str | None, **options):
        if not file.is_file():
            raise CommandError(f"找不到文件：{file}")
        actor = self._actor(user)
        try:
            result = import_run(
                kind=kind,
                data=file.read_bytes(),
                filename=file.name,
                year=year,
                user=actor,
                progress=lambda percent, stage: self.stderr.write(f"{stage} {percent}%"),
            )
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        except (UploadRefused, PermissionDenied) as exc:
            raise CommandError(f"文件未导入：{exc}") from None
        except ImportRejected as exc:
            for error in exc.errors:
                self.stdout.write(str(error))
            raise CommandError(
                f"导入被拒绝：共 {len(exc.errors)} 处错误，未写入任何数据。"
            ) from None
        for message in result.messages:
            self.stdout.write(message)
        self.stdout.write(
            self.style.SUCCESS(
                f"导入完成：新增 {result.created} 条，更新 {result.updated} 条，"
                f"未变 {result.unchanged} 条。"
            )
        )

    def _actor(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(f"找不到启用的用户“{username}”")
            return actor
        actor = users.filter(is_superuser=True).order_by("pk").first()
        if actor is None:
            raise CommandError("没有启用的超级用户，请用 --user 指定执行导入的用户")
        return actor
