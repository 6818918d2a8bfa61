"""Verify the audit trail's hash chain from its first row (see ruraledu/audit/chain.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from ruraledu.audit import chain
from ruraledu.audit.models import AuditEvent


class Command(BaseCommand):
    help = "核验审计记录的哈希链：从第一条记录起逐条核验，报告第一条被改动、删除或插入的位置。"

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--anchor",
            default="",
            help="此前记下的末条哈希：核验它仍在链中（可发现末尾记录被整段删除）。",
        )

    def handle(self, *args, database, anchor, **options):
        verdict = chain.verify(chain.rows_in_order(AuditEvent, using=database))
        if verdict.broken:
            row = verdict.broken.row
            raise CommandError(
                f"审计链在第 {verdict.broken.position} 条记录处断开（记录编号 {row.pk}，"
                f"时间 {timezone.localtime(row.at):%Y-%m-%d %H:%M:%S}，{row.object_repr}）："
                f"{verdict.broken.reason}。此前 {verdict.rows} 条记录核验无误。"
            )
        # an anchor noted before the payload hash existed is a row's `legacy_hash`
        anchored = Q(row_hash=anchor) | Q(legacy_hash=anchor)
        if anchor and not AuditEvent.objects.using(database).filter(anchored).exists():
            raise CommandError(f"核验的锚点哈希 {anchor} 不在审计链中：记录可能被整段删除。")
        redacted = (
            f"其中 {verdict.redacted} 条的个人信息已按保存期限清除，均有清除记录。"
            if verdict.redacted
            else ""
        )
        self.stdout.write(
            f"审计链完整：共 {verdict.rows} 条记录，自第一条起逐条核验无误。{redacted}"
            f"末条哈希 {verdict.last_hash}（可记录在别处，作下次核验的 --anchor）。"
        )
