"""Creating, revoking and checking personal API tokens."""

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot

from .models import ApiToken

TOKEN_START = "rtk_"
MAX_DAYS = 366
AUDITED = ["name", "prefix", "can_write", "expires_at", "revoked_at"]


class TokenRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str, days: int, can_write: bool) -> tuple[ApiToken, str]:
    """A new token and its secret; the secret is never stored and cannot be shown again."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise TokenRefused("令牌名称不能为空，且不超过 100 个字。")
    if not 1 <= days <= MAX_DAYS:
        raise TokenRefused(f"有效期须在 1 至 {MAX_DAYS} 天之间。")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=_digest(secret),
        can_write=can_write,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        actor=user,
        instance=token,
        action=AuditAction.CREATE,
        after=snapshot(token, AUDITED),
        summary="创建接口令牌",
    )
    return token, secret


@transaction.atomic
def token_revoke(*, user, pk: int) -> ApiToken:
    """Revoke one of the user's own tokens; anyone else's is a 404."""
    try:
        token = ApiToken.objects.select_for_update().get(pk=pk, user=user)
    except ApiToken.DoesNotExist as exc:
        raise Http404("没有这个令牌。") from exc
    if token.revoked_at is None:
        before = snapshot(token, AUDITED)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=user,
            instance=token,
            action=AuditAction.UPDATE,
            before=before,
            after=snapshot(token, AUDITED),
            summary="吊销接口令牌",
        )
    return token


def token_check(secret: str) -> ApiToken:
    """The live token this secret belongs to, its last use recorded; refused otherwise."""
    parts = secret[len(TOKEN_START) :].split("_", 1) if secret.startswith(TOKEN_START) else []
    token = (
        ApiToken.objects.select_related("user").filter(prefix=parts[0]).first()
        if len(parts) == 2
        else None
    )
    if token is None or not hmac.compare_digest(token.key_hash, _digest(secret)):
        raise TokenRefused("令牌无效。")
    if token.revoked_at is not None:
        raise TokenRefused("令牌已被吊销。")
    if token.is_expired:
        raise TokenRefused("令牌已过期，请在“我的账号”中新建令牌。")
    if not token.user.is_active:
        raise TokenRefused("令牌所属账号已停用。")
    now = timezone.now()
    # one write per minute at most: a poller must not turn every read into a write
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user):
    return ApiToken.objects.filter(user=user)
