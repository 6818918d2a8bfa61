"""The daily jobs in one run, for the one timer a server installs: each job's own command, in
order, each on its own, so that one failing (its traceback logged) does not keep the others
from running; the run then ends in an error naming it, for the timer's status to show."""

import io
import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger(__name__)

# Each a command and its arguments. Housekeeping first; the e-mails last, so that every
# notice the jobs raised goes out in this run (the group robots' `channels_send` has its own,
# 10-minute timer).
DAILY_JOBS = (
    ("purge_import_files",),
    ("send_reminders",),
    ("follow_up_cases",),
    ("escalate_rectification",),
    ("hotline_remind",),
    ("remind_leftbehind_contacts",),
    ("erase_expired_cases",),
    ("integrity_check",),  # the audit trail's chain, verified; its last hash in the log
    ("clearsessions",),  # expired logins (the session store is the database)
    ("prune_db_task_results", "--queue-name", "*"),  # task results finished 14 days ago
    ("send_emails",),
)


def _not_here(name: str) -> str:
    """Why a job has nothing to do under these settings ("" when it has)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if name == "prune_db_task_results" and not backend.startswith("django_tasks_db."):
        return "任务队列不在数据库中，无需清理"
    return ""


class Command(BaseCommand):
    help = (
        "每日任务：依次运行清理导入导出文件、报告提醒、控辍保学个案跟进、整改事项升级、热线提醒、"
        "留守儿童联系提醒、到期个案清除个人信息、核验审计链、清理过期登录和任务记录，最后发送通知邮件；"
        "某项失败不影响其余各项，"
        "结束时报告失败的任务（可重复运行）"
    )

    def handle(self, *args, **options):
        failed = []
        for name, *arguments in DAILY_JOBS:
            if reason := _not_here(name):
                self.stdout.write(f"{name}：跳过（{reason}）")
                continue
            out = io.StringIO()
            try:
                call_command(name, *arguments, stdout=out)
            except Exception as exc:  # the next job runs all the same
                logger.exception("daily job %s failed", name)
                failed.append(name)
                self.stderr.write(f"{name}：失败（{exc}）")
                continue
            self.stdout.write(f"{name}：{out.getvalue().strip() or '完成'}")
        if failed:
            raise CommandError(f"{len(failed)} 项每日任务失败：{'、'.join(failed)}")
