"""Who must log in with a second factor (TOTP), and the device each user enrols.

The rule is derived from the roles' actions, never listed by hand: the bureau's administrators
(reviewers of the whole tree, and superusers) and every role that may see children's personal
data unmasked or works their care cases (and so exports them)."""

from base64 import b32encode

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from .choices import ROLE_ACTIONS, Action, Role

# actions that reach a child's personal data
PERSONAL_ACTIONS = frozenset({Action.VIEW_PERSONAL, Action.CARE})


def two_factor_roles() -> frozenset[str]:
    """The roles whose holders must use a second factor."""
    return frozenset(
        role
        for role, actions in ROLE_ACTIONS.items()
        if actions & PERSONAL_ACTIONS or Action.REVIEW in actions
    )


def needs_two_factor(user) -> bool:
    """True when `user` may not use the platform before a TOTP code this session."""
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.role_assignments.filter(role__in=two_factor_roles()).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed device (a fresh key on first use) shown on the enrolment page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of `device` as an inline SVG QR code for the phone to scan."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def spaced_secret(device: TOTPDevice) -> str:
    """The key in base32 in groups of four, for typing in when a camera is not at hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def two_factor_note() -> str:
    """One line for printed account lists: whether these logins will ask for a phone code."""
    if not settings.OTP_REQUIRED:
        return "（两步验证未开启：OTP_REQUIRED=0，以上账号仅凭密码即可登录。）"
    names = "、".join(sorted(Role(r).label for r in two_factor_roles()))
    return f"（两步验证已开启：{names}及超级用户首次登录时须用手机验证器扫码绑定。）"
