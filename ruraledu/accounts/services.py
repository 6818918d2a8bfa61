"""Account writes that matter: lifting a login lock."""

from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, audit_summary

from .lockout import account_locks
from .models import User
from .policy import is_bureau


@transaction.atomic
def login_lock_release(*, actor, username: str, address: str | None = None) -> int:
    """Forget the failed logins of `username` (from every address), which lifts its lock;
    audited. Returns the number of failures forgotten."""
    if not is_bureau(actor):
        raise PermissionDenied("只有区教体局管理员可以解除登录锁定。")
    locks = account_locks(username=username)
    attempts = AccessAttempt.objects.select_for_update().filter(username=username)
    failures = sum(a.failures_since_start for a in attempts)
    attempts.delete()
    before = {"登录失败次数": failures}
    if locks:
        before["锁定至"] = timezone.localtime(locks[0].until).strftime("%Y-%m-%d %H:%M:%S")
    user = User.objects.filter(username=username).first()
    if user is not None:
        audit_record(
            actor=actor,
            instance=user,
            action=AuditAction.UNLOCK,
            before=before,
            after={"登录失败次数": 0},
            summary="解除登录锁定",
            address=address,
        )
    else:
        audit_summary(
            actor=actor,
            action=AuditAction.UNLOCK,
            summary=f"解除登录锁定：{username}（没有这个账号）"[:500],
            after={"username": username, **before},
            address=address,
        )
    return failures
