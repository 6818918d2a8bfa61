"""Production: refuses to start with debug on, the default secret or no personal-data key."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATA_KEY_FILE, DEFAULT_SECRET_KEY, SECRET_KEY, env, env_bool, env_int

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("生产环境不得开启 DEBUG（请设置 DEBUG=0）。")
if not SECRET_KEY or SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("生产环境必须通过 SECRET_KEY 环境变量设置至少 32 位的随机密钥。")
# Checked here, not at the first ID number: a server without its key must not start at all.
if not os.environ.get("DATA_KEY", "").strip() and not DATA_KEY_FILE.is_file():
    raise ImproperlyConfigured(
        "生产环境必须设置个人信息加密密钥：DATA_KEY 环境变量，或 DATA_KEY_FILE 指向的密钥文件。"
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# HTTPS only. The reverse proxy terminates TLS and says so in X-Forwarded-Proto (it must set
# that header itself, never pass on the client's); plain HTTP is redirected.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
PROXY_SSL_HEADER = env("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto")
if PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# Browsers keep to HTTPS for a year (start with a few minutes when first moving a host over).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Django's defaults, written out so no other settings file can loosen them unnoticed.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Production never invents a key: losing it would make every stored ID number unreadable.
DATA_KEY_AUTOCREATE = False

# Never empty the audit trail, whatever else is configured.
AUDIT_TRAIL_FLUSHABLE = False
