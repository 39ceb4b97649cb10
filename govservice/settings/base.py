"""Settings for every environment, read from environment variables (django-environ).

With nothing set, the portal runs on embedded defaults: a SQLite file and a filesystem
Celery broker under ``var/``, so ``make run`` needs no server. Set ``DATABASE_URL`` and
``CELERY_BROKER_URL`` (and ``REDIS_URL`` for the cache) to run on Postgres and Redis.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Development-only fallback; production.py refuses to start without a real key.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI / ReDoc served locally, no CDN
    "simple_history",
    "axes",
    "apps.common",
    "apps.accounts",
    "apps.workdays",
    "apps.notifications",
    "apps.catalogue",
    "apps.applications",
    "apps.documents",
    "apps.policies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govservice.urls"
WSGI_APPLICATION = "govservice.wsgi.application"
ASGI_APPLICATION = "govservice.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.common.context_processors.portal",
                "apps.notifications.context_processors.inbox",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'govservice.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file in `make run`: take the write lock when a
    # transaction begins (a deferred one fails at once with "database is locked" when two
    # upgrade together) and wait for it instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="gs"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must be first: refuses locked-out credentials
    "apps.accounts.backends.PhonePasswordBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = (
    [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    if env.bool("USE_ARGON2", default=False)
    else [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-axes: lock a login name after repeated failures (GB/T 22239 identity checks).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Never store or log a phone number in clear: axes sees only its keyed hash.
AXES_USERNAME_CALLABLE = "apps.accounts.backends.axes_login_key"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Personal data (PIPL; GB/T 35273 §6.3): encrypted at rest, keyed hash for lookups.
# Fernet keys, comma separated: the first encrypts, all decrypt (key rotation).
PII_ENCRYPTION_KEYS = env.list(
    "PII_ENCRYPTION_KEYS", default=["ZGV2LW9ubHktcGlpLWtleS1jaGFuZ2UtbWUtMzItYnk="]
)
PII_HASH_KEY = env.str("PII_HASH_KEY", default="dev-only-pii-hash-key")

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")  # private: served by views only
PRIVATE_FILES_ROOT = env.path("PRIVATE_FILES_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
PDF_FONT_PATH = BASE_DIR / "static" / "fonts" / "NotoSansSC-Regular.ttf"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email and SMS -------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@zwfw.example.gov.cn")
SMS_BACKEND = env.str("SMS_BACKEND", default="apps.notifications.sms.LogSmsBackend")

# --- REST framework ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "apps.common.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "apps.common.api.exception_handler",
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政务服务 Portal API",
    "DESCRIPTION": "政务服务事项、办件、好差评、12345 热线与惠企利民政策接口",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several apps have a "kind" or "channel" choice set: name each one explicitly.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "apps.applications.workflow.State",
        "ApplicationChannelEnum": "apps.applications.models.Channel",
        "TimelineEventKindEnum": "apps.applications.models.TimelineEvent.Kind",
        "NotificationChannelEnum": "apps.notifications.models.Notification.Channel",
        "TopicKindEnum": "apps.catalogue.models.Topic.Kind",
        "SpecialProcedureKindEnum": "apps.catalogue.models.SpecialProcedure.Kind",
        "PolicyStateEnum": "apps.policies.workflow.PolicyState",
        "EntitlementStateEnum": "apps.policies.workflow.EntitlementState",
        "PolicyHaltRequestStateEnum": "apps.policies.workflow.HaltRequestState",
        "PolicyHaltActionEnum": "apps.policies.workflow.HaltAction",
        "PolicyLegalGroundEnum": "apps.policies.models.LegalGround",
        "PolicyClassEnum": "apps.policies.models.PolicyClass",
        "PolicyFulfilmentEnum": "apps.policies.models.Fulfilment",
        "PolicySubjectKindEnum": "apps.policies.criteria.registry.SubjectKind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery ------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "notifications-redeliver-stuck": {
        "task": "apps.notifications.tasks.redeliver_pending_notifications",
        "schedule": crontab(minute="*/5"),
    },
    "documents-sweep-unreferenced-files": {
        "task": "apps.documents.tasks.sweep_unreferenced_document_files",
        "schedule": crontab(hour=3, minute=30),
    },
    "documents-render-pending": {
        "task": "apps.documents.tasks.render_pending_documents",
        "schedule": crontab(minute="*"),
    },
    "workdays-check-calendar-coverage": {
        "task": "apps.workdays.tasks.check_calendar_coverage",
        "schedule": crontab(hour=8, minute=0),
    },
    "applications-supervise": {
        "task": "apps.applications.tasks.supervise_applications",
        "schedule": crontab(minute="*/15"),
    },
    "policies-daily": {
        "task": "apps.policies.tasks.policies_daily",
        "schedule": crontab(hour=0, minute=20),
    },
    "policies-push-sweep": {
        "task": "apps.policies.tasks.sweep_policy_pushes",
        "schedule": crontab(minute="*/10"),
    },
}

# --- Logging -----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "apps.common.logging.MaskPersonalDataFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_pii"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- Portal ------------------------------------------------------------------------------
PORTAL_NAME = env.str("PORTAL_NAME", default="市政务服务网")
HOTLINE_NUMBER = "12345"
# DOMAIN A15: an application turns yellow when at most this share of its limit remains.
APPLICATION_YELLOW_RATIO = env.float("APPLICATION_YELLOW_RATIO", default=0.2)
# DOMAIN A4a: working days a department has to decide on intake before it counts as accepted.
APPLICATION_INTAKE_DAYS = env.int("APPLICATION_INTAKE_DAYS", default=5)
# DOMAIN A5: working days before the correction deadline on which the applicant is reminded.
APPLICATION_CORRECTION_REMIND_DAYS = env.int("APPLICATION_CORRECTION_REMIND_DAYS", default=2)
# DOMAIN A7a (行政许可法 §42): the limit of a guide that promises none.
APPLICATION_DEFAULT_TIME_LIMIT_DAYS = env.int("APPLICATION_DEFAULT_TIME_LIMIT_DAYS", default=20)
# DOMAIN A7a: the once-only extension of items that are not 行政许可 (whose extension the
# law fixes at 10, or 15 working days when several departments handle it jointly).
APPLICATION_MAX_EXTENSION_DAYS = env.int("APPLICATION_MAX_EXTENSION_DAYS", default=10)
APPLICATION_MAX_EXTENSION_DAYS_JOINT = env.int("APPLICATION_MAX_EXTENSION_DAYS_JOINT", default=15)
# 热门事项 on the home page: item codes in display order (empty: ranked by bundle use).
CATALOGUE_HOT_ITEM_CODES = env.list("CATALOGUE_HOT_ITEM_CODES", default=[])

# DOMAIN PO3: policy push fan-out. At most this many subjects are told per minute across
# all workers (SMS gateways and people's patience set the pace), in batches of this size.
POLICY_PUSH_RATE_PER_MINUTE = env.int("POLICY_PUSH_RATE_PER_MINUTE", default=6000)
POLICY_PUSH_BATCH_SIZE = env.int("POLICY_PUSH_BATCH_SIZE", default=500)
# A matched 申请兑现 policy not yet claimed is reminded once, this many days before it expires.
POLICY_EXPIRY_REMINDER_DAYS = env.int("POLICY_EXPIRY_REMINDER_DAYS", default=15)

# Lockout is per login name: service halls share one NAT address, so locking by IP would
# lock out a whole hall after one person's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
