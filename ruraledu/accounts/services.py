"""Account writes that matter: login locks, two-factor devices, passwords."""

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


@transaction.atomic
def two_factor_confirm(*, user, device, token: str, address: str | None = None) -> bool:
    """Confirm `user`'s pending TOTP device with a code from the phone; audited. False when
    the code is wrong (django-otp slows repeated failures)."""
    # the device as it is now, locked: the page may predate its confirmation by a second post
    # of the same code (a stale copy would also take that code again)
    device = type(device).objects.select_for_update().get(pk=device.pk)
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied("这不是待确认的验证器。")
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=user,
        instance=user,
        action=AuditAction.UPDATE,
        before={"两步验证": "未绑定"},
        after={"两步验证": "已绑定"},
        summary="绑定两步验证器",
        address=address,
    )
    return True


@transaction.atomic
def two_factor_reset(*, actor, user, address: str | None = None) -> int:
    """Remove every TOTP device of `user` (a lost phone): at the next login they enrol again.
    Bureau only; audited. Returns the number of devices removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not is_bureau(actor):
        raise PermissionDenied("只有区教体局管理员可以重置两步验证。")
    devices = TOTPDevice.objects.select_for_update().filter(user=user)
    confirmed = devices.filter(confirmed=True).count()
    removed, _ = devices.delete()
    audit_record(
        actor=actor,
        instance=user,
        action=AuditAction.UPDATE,
        before={"两步验证": "已绑定" if confirmed else "未绑定"},
        after={"两步验证": "已重置，下次登录重新绑定"},
        summary="重置两步验证",
        address=address,
    )
    return removed


@transaction.atomic
def password_changed(*, user, address: str | None = None) -> None:
    """After the user set a password of their own: lift the first-login requirement; audited
    (never the hash)."""
    before = {"password": "（原密码）", "首次登录须修改密码": user.must_change_password}
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    audit_record(
        actor=user,
        instance=user,
        action=AuditAction.UPDATE,
        before=before,
        after={"password": "（已修改）", "首次登录须修改密码": False},
        summary="本人修改密码",
        address=address,
    )
