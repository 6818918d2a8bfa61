"""Helpers for two-factor tests: a phone's authenticator as code."""

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def phone_code(device: TOTPDevice) -> str:
    """The six digits the user's phone shows now for `device`."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=True)
