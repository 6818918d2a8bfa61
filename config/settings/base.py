"""Settings shared by every mode. Values come from the environment with safe embedded defaults."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name: str, default: bool) -> bool:
    """An unset or empty variable gives `default`; a value neither true nor false is refused
    (a mistyped `DEBUG=flase` must not silently mean something)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"环境变量 {name} 的值“{value}”无法识别：开启请设为 {'、'.join(TRUE_WORDS)}，"
        f"关闭请设为 {'、'.join(FALSE_WORDS)}（不区分大小写）。"
    )


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(f"环境变量 {name} 应为不小于 {minimum} 的整数，现为“{value}”。")
    return number


DEFAULT_SECRET_KEY = "insecure-development-key-change-me"
SECRET_KEY = env("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ruraledu.core",
    "ruraledu.accounts",
    "ruraledu.orgunits",
    "ruraledu.plans",
    "ruraledu.facilities",
    "ruraledu.workforce",
    "ruraledu.students",
    "ruraledu.activities",
    "ruraledu.indicators",
    "ruraledu.dashboards",
    "ruraledu.schoolyears",
    "ruraledu.supervision",
    "ruraledu.demo",
    "ruraledu.spreadsheets",
    "ruraledu.audit",
    "ruraledu.reporting",
    "ruraledu.care",
    "ruraledu.leftbehind",
    "ruraledu.inclusion",
    "ruraledu.aid",
    "ruraledu.documents",
    "ruraledu.hotline",
    "ruraledu.accountability",
    "ruraledu.evaluation",
    "ruraledu.forecast",
    "ruraledu.planning",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "ruraledu.api",
    "ruraledu.channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # policy in config/settings/csp.py
    "ruraledu.core.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ruraledu.accounts.idle.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # two-factor and first-login password change before any page (ruraledu/accounts/gate.py)
    "ruraledu.accounts.gate.AccountGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ruraledu.accounts.context_processors.navigation",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    # connections are kept between requests (opening one costs more than most page queries)
    config = dj_database_url.parse(
        url, conn_max_age=int(env("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while an import writes; IMMEDIATE avoids lock upgrade deadlocks.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {
    "default": database_from_url(env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 等保三级: at least 8 characters of at least three kinds (ruraledu/accounts/passwords.py)
    {"NAME": "ruraledu.accounts.passwords.ComplexityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"

# Two-factor login (TOTP) for the bureau and every role that sees or exports children's
# personal data (ruraledu/accounts/twofactor.py); the embedded demo turns it off.
OTP_REQUIRED = env_bool("OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "乡村教育振兴监测督导平台"
# Accounts made by setup commands must change their password at the first login.
PASSWORD_CHANGE_FIRST_LOGIN = env_bool("PASSWORD_CHANGE_FIRST_LOGIN", True)
# Sessions end after this many idle minutes (each request moves the end forward).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False  # ruraledu/accounts/idle.py refreshes it once a minute
LOGIN_REDIRECT_URL = "dashboards:cockpit"
LOGOUT_REDIRECT_URL = "accounts:login"

# Reverse proxies in front of the application. 0: clients connect directly and
# X-Forwarded-For is ignored (anyone can write it). N: the client's address is the N-th entry
# from the right of X-Forwarded-For, as appended by the proxies (ruraledu/audit/utils.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Login lock (django-axes with a growing delay, ruraledu/accounts/lockout.py). Failures count
# per account, from whatever address: after LOGIN_FAILURE_LIMIT of them the account is locked
# for LOGIN_LOCK_MINUTES, each further failure doubles that up to LOGIN_LOCK_MAX_MINUTES; a
# successful login, a day without failures or a bureau administrator (登录锁定 page) clears
# the count. A second layer slows one address trying many accounts.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 1, minimum=1)
LOGIN_LOCK_MAX_MINUTES = env_int("LOGIN_LOCK_MAX_MINUTES", 60, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
LOGIN_ADDRESS_WINDOW = timedelta(minutes=15)
AXES_HANDLER = "ruraledu.accounts.lockout.GrowingLockoutHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = timedelta(hours=24)  # how long failures are remembered
AXES_RESET_ON_SUCCESS = True
# attempts while locked are refused without being counted: hammering a locked account changes
# nothing
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "ruraledu.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "ruraledu.audit.utils.request_address"
# unlocking happens on the audited 登录锁定 page, not in axes' own admin pages
AXES_ENABLE_ADMIN = False
# axes warns when addresses are not a lockout parameter: here an account's failures are summed
# over every address and browser, and the address layer is in the handler, so rotating either
# does not get around the lock.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# `manage.py flush` would empty the append-only audit trail: refused (the database refuses it
# too). Only the test settings allow it, for the test runner's cleanup.
AUDIT_TRAIL_FLUSHABLE = False

# One language for everyone, whatever the browser asks for: an English browser made dates
# and Django's own messages English in the middle of Chinese pages.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # a few admin strings Django ships untranslated
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# "乡村学校" rule (统计用城乡划分代码); districts that read the plan differently set their own.
RURAL_URBAN_RURAL_CODES = tuple(
    c.strip() for c in env("RURAL_URBAN_RURAL_CODES", "121,122,123,210,220").split(",") if c.strip()
)

# Background work (imports, recompute): the django-tasks API with its database worker
# (`python manage.py db_worker`); tests and commands may run tasks immediately.
# Recomputes have a queue of their own: they run one at a time (a lock), so a worker taking
# one while another runs would wait, idle, while imports queue behind it.
TASK_QUEUES = ["default", "recompute"]
# a recompute still queued after this long is shown as a missing recompute worker
RECOMPUTE_QUEUE_WARN_SECONDS = env_int("RECOMPUTE_QUEUE_WARN_SECONDS", 600)
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}
# A recompute on PostgreSQL scans on this many extra connections while it computes (0: it scans
# first, one scan after another), and gives each scan this many parallel workers
# (max_parallel_workers_per_gather). On 2 cores, two connections scanning alone beat one whose
# scans had parallel workers (province full recompute 21.1-21.6 s against 22.8-23.1 s; one
# connection with 2 workers 28-29 s): each worker builds a scan's IN-sets and compiles it anew.
_CORES = os.cpu_count() or 1
RECOMPUTE_SCAN_CONNECTIONS = env_int("RECOMPUTE_SCAN_CONNECTIONS", min(4, max(2, _CORES // 2)))
RECOMPUTE_SCAN_WORKERS = env_int("RECOMPUTE_SCAN_WORKERS", min(2, max(0, _CORES - 2)))

# Uploaded and generated files (error reports, evidence) live outside the web root.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "files")))
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 30 * 1024 * 1024, minimum=1)
# A file is first opened in a child process with these limits, so a parser that runs away
# fails the job, not the worker; a running job silent this long lost its worker.
IMPORT_PARSE_MEMORY_BYTES = env_int("IMPORT_PARSE_MEMORY_BYTES", 2 * 1024**3, minimum=64 * 1024**2)
IMPORT_PARSE_SECONDS = env_int("IMPORT_PARSE_SECONDS", 600, minimum=10)
IMPORT_JOB_STALE_SECONDS = env_int("IMPORT_JOB_STALE_SECONDS", 600, minimum=60)
# A whole-scope export's file (clear ID numbers) is downloadable this long, then deleted; a
# running export silent this long lost its worker (one still queued after six times as long
# was never taken up).
EXPORT_FILE_KEEP_HOURS = env_int("EXPORT_FILE_KEEP_HOURS", 24, minimum=1)
EXPORT_JOB_STALE_SECONDS = env_int("EXPORT_JOB_STALE_SECONDS", 600, minimum=60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Supervision (督导): the 整改通知书 number pattern ({year}, {number}), working days past an
# item's deadline before it is reported to the town office and then to the bureau's 督导室,
# 听课 required of a 包校 researcher per linked school and semester, the photo size limit, and
# the 督学热线 printed on each school's 挂牌 card (empty: not printed).
SUPERVISION_NOTICE_PATTERN = env("SUPERVISION_NOTICE_PATTERN", "川教督整〔{year}〕{number}号")
SUPERVISION_ESCALATE_TOWN_DAYS = env_int("SUPERVISION_ESCALATE_TOWN_DAYS", 5, minimum=1)
SUPERVISION_ESCALATE_BUREAU_DAYS = env_int("SUPERVISION_ESCALATE_BUREAU_DAYS", 10, minimum=1)
if SUPERVISION_ESCALATE_BUREAU_DAYS < SUPERVISION_ESCALATE_TOWN_DAYS:
    raise ImproperlyConfigured(
        "SUPERVISION_ESCALATE_BUREAU_DAYS 不能小于 SUPERVISION_ESCALATE_TOWN_DAYS：逾期事项先报镇街，再报区教体局。"
    )
SUPERVISION_REMIND_DAYS = env_int("SUPERVISION_REMIND_DAYS", 3, minimum=1)  # before a deadline
SUPERVISION_OBSERVATIONS_PER_SEMESTER = env_int(
    "SUPERVISION_OBSERVATIONS_PER_SEMESTER", 8, minimum=1
)
SUPERVISION_PHOTO_MAX_BYTES = env_int(
    "SUPERVISION_PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=100 * 1024
)
SUPERVISION_HOTLINE = env("SUPERVISION_HOTLINE", "")
# 督学热线: working days after assignment to answer, and when to remind; 问责: working days a
# lead department's report or a school's rectification item may be overdue before it is listed.
HOTLINE_ANSWER_WORKING_DAYS = env_int("HOTLINE_ANSWER_WORKING_DAYS", 10, minimum=1)
HOTLINE_DUE_SOON_WORKING_DAYS = env_int("HOTLINE_DUE_SOON_WORKING_DAYS", 2, minimum=0)
ACCOUNTABILITY_REPORT_OVERDUE_DAYS = env_int("ACCOUNTABILITY_REPORT_OVERDUE_DAYS", 10, minimum=1)
ACCOUNTABILITY_ITEM_OVERDUE_DAYS = env_int("ACCOUNTABILITY_ITEM_OVERDUE_DAYS", 15, minimum=1)

# Key for personal ID numbers at rest (see ruraledu/core/crypto.py). Production sets DATA_KEY.
DATA_KEY_FILE = Path(env("DATA_KEY_FILE", str(BASE_DIR / "var" / "keys" / "data.key")))
DATA_KEY_AUTOCREATE = True

# The district whose plan the targets belong to (the root org unit's code).
PLAN_DISTRICT_CODE = env("PLAN_DISTRICT_CODE", "370302")

# E-mail (reminders and review notices). The console backend prints messages; production sets
# EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the SMTP variables.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = (
    Path(env("EMAIL_HOST_PASSWORD_FILE")).read_text().strip()
    if env("EMAIL_HOST_PASSWORD_FILE")
    else env("EMAIL_HOST_PASSWORD", "")
)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "乡村教育振兴监测督导平台 <noreply@localhost>")
EMAIL_SUBJECT_PREFIX = "【乡村教育振兴监测督导平台】"
# Links in e-mails point here (the address users open the platform at).
EMAIL_LINK_BASE_URL = env("EMAIL_LINK_BASE_URL", "http://127.0.0.1:8000")

# Pages built from computed figures are cached per process, keyed by the data version.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 3600}}
# API request counts per token, shared by every worker process: a table in the database (the
# api app's migration creates it), so no extra service is needed.
API_THROTTLE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "api_throttle_cache",
    "TIMEOUT": 3600,
}
CACHES["api_throttle"] = API_THROTTLE_CACHE
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

from ruraledu.api.settings import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402,F401

from .csp import CONTENT_SECURITY_POLICY  # noqa: E402,F401
