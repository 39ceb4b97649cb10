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
CSRF_FAILURE_VIEW = "apps.common.error_views.csrf_failure"
# The public address (QR codes, links in messages). Empty: the address the portal is
# served on, read from the request (apps.common.site); `make run` sets it from its port.
SITE_URL = env.str("SITE_URL", default="")

INSTALLED_APPS = [
    "apps.common.admin_site.PortalAdminConfig",  # django.contrib.admin, its site ours
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
    "apps.reviews",
    "apps.tolerance",
    "apps.policies",
    "apps.halls",
    "apps.pledges",
    "apps.hotline",
    "apps.assistant",
    "apps.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.common.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "apps.common.i18n.LanguageEditionMiddleware",
    "apps.common.site.RequestOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.accounts.middleware.StaffSessionMiddleware",
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
                "apps.common.accessibility.accessible_mode",
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

# A database that accepts connections but never answers must fail a request in seconds
# (/healthz says 503), not hang it until the web worker is killed: bound the connection
# (seconds; libpq's minimum is 2) and every statement (milliseconds; 0 = no limit, e.g. for a
# long `manage.py migrate`).
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=5)
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=30000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    _pg_options["options"] = " ".join(
        filter(
            None, [_pg_options.get("options"), f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"]
        )
    )

# A streaming replica of the primary for the dashboards and reports (apps.common.replica):
# same options as the primary; tests mirror it onto the test database.
REPLICA_DATABASE_URL = env.str("REPLICA_DATABASE_URL", default="")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = {
        **env.db_url_config(REPLICA_DATABASE_URL),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["apps.common.replica.ReplicaRouter"]

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "apps.common.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="gs"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: rows in the database, read through Redis when there is one (issue 16: a
# signed-in request's session costs no query; apps.accounts.sessions). Without Redis each
# process's cache would be its own, so a sign-out in one would not reach the others: the
# database alone then.
SESSION_ENGINE = "apps.accounts.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
# How long Redis keeps a session's copy (seconds): bounds a copy left behind when Redis was
# unreachable at a sign-out; a miss costs one read of the row.
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=600)
# A user's permissions, roles and departments, read once and kept in Redis until a change
# to them draws new tokens (issue 16; apps.accounts.access); this bounds a copy a change made
# while Redis was unreachable could not reach. Without Redis (one cache per process, which a
# change in another process would not reach): read on each request (0).
ACCESS_CACHE_SECONDS = env.int("ACCESS_CACHE_SECONDS", default=300) if REDIS_URL else 0

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

# Staff sessions (issue 16): end after this many idle minutes and when the browser closes
# (apps.accounts.middleware). Citizens keep Django's normal session.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)

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

# Web pages that cost the most per anonymous request (issue 16; apps.common.ratelimit), per
# client address or account: registrations submitted, catalogue searches.
REGISTER_RATE = env.str("REGISTER_RATE", default="20/hour")
SEARCH_RATE = env.str("SEARCH_RATE", default="120/min")

# Personal data (PIPL; GB/T 35273 §6.3): encrypted at rest, keyed hash for lookups.
# Fernet keys, comma separated: the first encrypts, all decrypt (key rotation).
PII_ENCRYPTION_KEYS = env.list(
    "PII_ENCRYPTION_KEYS", default=["ZGV2LW9ubHktcGlpLWtleS1jaGFuZ2UtbWUtMzItYnk="]
)
PII_HASH_KEY = env.str("PII_HASH_KEY", default="dev-only-pii-hash-key")

# Content-Security-Policy (django-csp): scripts and styles only from our own static files —
# no inline <script>, <style>, style="…" or on…= handlers anywhere (templates use classes and
# static/js; ECharts sets styles through the CSSOM, which CSP allows). QR codes are data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# --- Internationalisation ----------------------------------------------------------------
# Chinese is the portal's language; the citizen-facing pages have an English edition under
# /en/ (issue #17). The language comes from the URL prefix only: an unprefixed address is
# Chinese whatever the browser's Accept-Language says, and the 中文 / English switch in the
# header moves to the same page in the other edition (so links stay in the chosen one).
# Staff pages (/admin/, the dashboard, the desks) are never prefixed and stay Chinese.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# URL names (fnmatch patterns) of staff pages served inside the citizen apps' URL confs: under
# /en/ they redirect to their Chinese address (apps.common.i18n.LanguageEditionMiddleware).
STAFF_URL_NAMES = [
    "halls:my_windows",
    "halls:desk",
    "halls:desk_action",
    "halls:hard_case*",
    "halls:opinion*",
    "halls:hand_out*",
    "halls:assistance_record",
    "assistant:worklist",
    "tolerance:staff_*",
    "tolerance:supplement_accept",
    "tolerance:supplement_reject",
    "tolerance:figures*",
]
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
# With DEBUG off (`make run` by default) WhiteNoise still serves the static files straight
# from their source folders; production serves the collected copy (production.py).
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
PDF_FONT_PATH = BASE_DIR / "static" / "fonts" / "NotoSansSC-Regular.ttf"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email and SMS -------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@zwfw.example.gov.cn")
SMS_BACKEND = env.str("SMS_BACKEND", default="apps.notifications.sms.LogSmsBackend")
# An email/SMS row not yet tried this long after its last change is re-queued by the
# every-minute sweep (the broker was down at commit, or its task was lost).
NOTIFICATION_REQUEUE_GRACE_SECONDS = env.int("NOTIFICATION_REQUEUE_GRACE_SECONDS", default=60)

# --- REST framework ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "apps.common.openapi.PortalAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "apps.common.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "apps.common.api.exception_handler",
    "PAGE_SIZE": 20,
    # Anonymous clients, per address (issue 16): reads and writes counted apart, in the
    # shared cache. Signed-in users are not throttled here (their sessions are the limit).
    "DEFAULT_THROTTLE_CLASSES": [
        "apps.common.throttling.AnonReadThrottle",
        "apps.common.throttling.AnonWriteThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon_read": env.str("API_ANON_READ_RATE", default="300/min"),
        "anon_write": env.str("API_ANON_WRITE_RATE", default="30/min"),
    },
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
        "DepartmentLevelEnum": "apps.accounts.models.Department.Level",
        "ReviewLevelEnum": "apps.reviews.workflow.Level",
        "ReviewOutcomeEnum": "apps.reviews.workflow.Outcome",
        "ReviewCaseStateEnum": "apps.reviews.workflow.CaseState",
        "PolicyStateEnum": "apps.policies.workflow.PolicyState",
        "EntitlementStateEnum": "apps.policies.workflow.EntitlementState",
        "PolicyHaltRequestStateEnum": "apps.policies.workflow.HaltRequestState",
        "PolicyHaltActionEnum": "apps.policies.workflow.HaltAction",
        "PolicyLegalGroundEnum": "apps.policies.models.LegalGround",
        "PolicyClassEnum": "apps.policies.models.PolicyClass",
        "PolicyFulfilmentEnum": "apps.policies.models.Fulfilment",
        "PolicySubjectKindEnum": "apps.policies.criteria.registry.SubjectKind",
        "PledgeSubjectKindEnum": "apps.pledges.models.SubjectKind",
        "TicketStateEnum": "apps.hotline.workflow.TicketState",
        "TicketChannelEnum": "apps.hotline.workflow.Channel",
        "TicketEventKindEnum": "apps.hotline.models.TicketEvent.Kind",
        "ExtensionStatusEnum": "apps.hotline.models.ExtensionRequest.Status",
        "TicketTransferTargetEnum": "apps.hotline.workflow.TransferTarget",
        "ServiceTargetEnum": "apps.catalogue.models.ServiceTarget",
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
    # Late acks (below): a task whose worker died unacknowledged is delivered again once
    # this many seconds pass. Longer than any task's hard time limit (the supervision pass:
    # 660 s), or a task still running would be delivered twice; far under the hour it was,
    # so a killed supervision pass comes back within minutes.
    #
    # Socket timeouts: without them a Redis that accepts connections but never answers (hung,
    # or its replies lost) blocks a publishing web request, and /healthz, for ever.
    _broker_socket_timeout = env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=900),
        "socket_connect_timeout": _broker_socket_timeout,
        "socket_timeout": _broker_socket_timeout,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0)
# A publish tries twice (once more on a fresh connection: a pooled one may have died with a
# Redis restart), then fails; the row behind every queued task is the outbox (see
# apps.common.queueing). After a failure the process publishes nothing for
# BROKER_PUBLISH_PAUSE_SECONDS (govservice.celery): during an outage only the first request
# per pause waits for the timeouts, the others answer at once.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
BROKER_PUBLISH_PAUSE_SECONDS = env.float("BROKER_PUBLISH_PAUSE_SECONDS", default=15.0)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "notifications-redeliver-stuck": {
        "task": "apps.notifications.tasks.redeliver_pending_notifications",
        "schedule": crontab(minute="*"),  # cheap: walks only the pending rows
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
    # Calendar changes whose recompute task was lost (broker down at commit, worker killed).
    "workdays-dispatch-pending-calendar-changes": {
        "task": "apps.workdays.tasks.dispatch_pending_calendar_changes",
        "schedule": crontab(minute="*/5"),
    },
    # Each item's applications of the last year, for the search ranking (issue #9).
    "catalogue-refresh-item-demand": {
        "task": "apps.catalogue.tasks.refresh_item_demand",
        "schedule": crontab(hour=2, minute=40),
    },
    # Uploaded files whose pre-check task was lost (broker down at commit; issue #18).
    "assistant-precheck-pending-materials": {
        "task": "apps.assistant.tasks.precheck_pending_materials",
        "schedule": crontab(minute="*/5"),
    },
    "applications-supervise": {
        "task": "apps.applications.tasks.supervise_applications",
        "schedule": crontab(minute="*/15"),
    },
    "reviews-supervise-cases": {
        "task": "apps.reviews.tasks.supervise_review_cases",
        "schedule": crontab(minute="7,22,37,52"),
    },
    "policies-daily": {
        "task": "apps.policies.tasks.policies_daily",
        "schedule": crontab(hour=0, minute=20),
    },
    "policies-sweep": {
        "task": "apps.policies.tasks.sweep_policies",
        "schedule": crontab(minute="*/10"),
    },
    # T1–T3: reminders before each supplement deadline, revocation the day after it.
    "tolerance-sweep": {
        "task": "apps.tolerance.tasks.sweep_tolerated_materials",
        "schedule": crontab(minute="*/15"),
    },
    "halls-open-slots": {
        "task": "apps.halls.tasks.open_slots",
        "schedule": crontab(hour=0, minute=35),
    },
    "halls-remind-appointments": {
        "task": "apps.halls.tasks.remind_appointments",
        "schedule": crontab(hour="8-20", minute=15),  # the evening before, again if missed
    },
    "halls-release-no-shows": {
        "task": "apps.halls.tasks.release_no_shows",
        "schedule": crontab(minute="*/5"),
    },
    "halls-escalate-hard-cases": {
        "task": "apps.halls.tasks.escalate_hard_cases",
        "schedule": crontab(hour="8-18", minute=45),
    },
    # 告知承诺 verifications, rectifications and credit records due (issue #11).
    "pledges-sweep": {
        "task": "apps.pledges.tasks.sweep_pledge_verifications",
        "schedule": crontab(minute="12,42"),
    },
    "hotline-supervise": {
        "task": "apps.hotline.tasks.supervise_tickets",
        "schedule": crontab(minute="*/10"),
    },
    "hotline-redeliver-caller-messages": {
        "task": "apps.hotline.tasks.redeliver_caller_messages",
        "schedule": crontab(minute="*/5"),
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
# The name the English edition shows (issue #17).
PORTAL_NAME_EN = env.str("PORTAL_NAME_EN", default="City Government Services Portal")
# The region an address cascade opens on (GB/T 2260 code of the city the portal serves).
FORM_DEFAULT_REGION = env.str("FORM_DEFAULT_REGION", default="350100")
HOTLINE_NUMBER = "12345"
# DOMAIN A15: an application turns yellow when at most this share of its limit remains.
APPLICATION_YELLOW_RATIO = env.float("APPLICATION_YELLOW_RATIO", default=0.2)
# DOMAIN A4a: working days a department has to decide on intake before it counts as accepted.
APPLICATION_INTAKE_DAYS = env.int("APPLICATION_INTAKE_DAYS", default=5)
# The supervision pass locks, marks and tells this many applications per transaction.
SUPERVISION_BATCH_SIZE = env.int("SUPERVISION_BATCH_SIZE", default=500)
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

# Tolerant acceptance (容缺受理, DOMAIN T1-T3): working days before a supplement deadline
# on which the applicant is reminded (inbox and SMS), each once per material.
TOLERANCE_REMINDER_WORKING_DAYS = env.list(
    "TOLERANCE_REMINDER_WORKING_DAYS", cast=int, default=[3, 1]
)

# Reviews (好差评, DOMAIN R1-R7).
# R7: working days a department has to rectify a complex bad review (local rules: 5, 7, 15).
REVIEWS_RECTIFY_WORKING_DAYS = env.int("REVIEWS_RECTIFY_WORKING_DAYS", default=5)
# R1: a follow-up review (追评) may be added within this many days of the review.
REVIEWS_FOLLOW_UP_DAYS = env.int("REVIEWS_FOLLOW_UP_DAYS", default=15)
# R1: minutes the rating link of a window service stays valid.
REVIEWS_WINDOW_TOKEN_MINUTES = env.int("REVIEWS_WINDOW_TOKEN_MINUTES", default=30)
# R1: rate limits against ballot-stuffing.
REVIEWS_PER_PERSON_PER_DAY = env.int("REVIEWS_PER_PERSON_PER_DAY", default=10)
REVIEWS_PER_SOURCE_PER_DAY = env.int("REVIEWS_PER_SOURCE_PER_DAY", default=20)
REVIEWS_PER_TARGET_PER_HOUR = env.int("REVIEWS_PER_TARGET_PER_HOUR", default=30)
# R6: the anomaly warning needs at least this many reviews in the last 7 days.
REVIEWS_ANOMALY_MIN_REVIEWS = env.int("REVIEWS_ANOMALY_MIN_REVIEWS", default=20)
# Demo data: about this many reviews over the last six months (seed_demo).
REVIEWS_DEMO_REVIEWS = env.int("REVIEWS_DEMO_REVIEWS", default=1600)
# DOMAIN PO3: policy push fan-out. At most this many subjects are told per minute across
# all workers (SMS gateways and people's patience set the pace), in batches of this size.
POLICY_PUSH_RATE_PER_MINUTE = env.int("POLICY_PUSH_RATE_PER_MINUTE", default=6000)
POLICY_PUSH_BATCH_SIZE = env.int("POLICY_PUSH_BATCH_SIZE", default=500)
# A matched 申请兑现 policy not yet claimed is reminded once, this many days before it expires.
POLICY_EXPIRY_REMINDER_DAYS = env.int("POLICY_EXPIRY_REMINDER_DAYS", default=15)

# 告知承诺制 (issue #11; DOMAIN P3a, P4): the share of good-credit applicants whose pledged
# approvals are checked (first-time and warned applicants are always checked), the days
# before a verification or rectification deadline that its reminder goes out, the working
# days a rectification order gives, and how long a credit record lasts and restricts.
PLEDGES_SAMPLE_PERCENT = env.int("PLEDGES_SAMPLE_PERCENT", default=20)
PLEDGES_REMIND_WORKING_DAYS = env.int("PLEDGES_REMIND_WORKING_DAYS", default=2)
PLEDGES_RECTIFY_WORKING_DAYS = env.int("PLEDGES_RECTIFY_WORKING_DAYS", default=15)
PLEDGES_CREDIT_REPAIRABLE_AFTER_DAYS = env.int("PLEDGES_CREDIT_REPAIRABLE_AFTER_DAYS", default=90)
PLEDGES_CREDIT_EXPIRES_AFTER_DAYS = env.int("PLEDGES_CREDIT_EXPIRES_AFTER_DAYS", default=1095)
# --- 12345 hotline (DOMAIN H1–H9; every number configurable, H8/H9) ----------------------
HOTLINE_DISTRICTS = env.list(
    "HOTLINE_DISTRICTS",
    default=[
        "鼓楼区",
        "台江区",
        "仓山区",
        "晋安区",
        "马尾区",
        "长乐区",
        "福清市",
        "闽侯县",
        "连江县",
        "罗源县",
        "闽清县",
        "永泰县",
    ],
)
# H9 并单: the same caller, or the same place and category, within this many days.
HOTLINE_DUPLICATE_WINDOW_DAYS = env.int("HOTLINE_DUPLICATE_WINDOW_DAYS", default=7)
# H9 退单: how often one department may object to the same ticket.
HOTLINE_MAX_RETURNS_PER_DEPARTMENT = env.int("HOTLINE_MAX_RETURNS_PER_DEPARTMENT", default=1)
# H9 重办: how often an unsatisfied call-back reopens a ticket before it escalates.
HOTLINE_MAX_REOPENS = env.int("HOTLINE_MAX_REOPENS", default=1)
# H9 催办: an urgent ticket is reminded this many hours before its reply is due (normal
# tickets one working day before).
HOTLINE_REMIND_BEFORE_HOURS = env.int("HOTLINE_REMIND_BEFORE_HOURS", default=2)
# H9 通报: still overdue this many working days after the due date.
HOTLINE_CRITICISE_AFTER_WORKING_DAYS = env.int("HOTLINE_CRITICISE_AFTER_WORKING_DAYS", default=5)
# H9 回访: the caller is called back within this many working days of the reply.
HOTLINE_CALLBACK_WORKING_DAYS = env.int("HOTLINE_CALLBACK_WORKING_DAYS", default=1)
# Citizens without an account: one-time SMS codes.
HOTLINE_CODE_TTL_MINUTES = env.int("HOTLINE_CODE_TTL_MINUTES", default=10)
HOTLINE_CODE_MAX_SENDS_PER_HOUR = env.int("HOTLINE_CODE_MAX_SENDS_PER_HOUR", default=5)
HOTLINE_CODE_MAX_ATTEMPTS = env.int("HOTLINE_CODE_MAX_ATTEMPTS", default=5)
HOTLINE_VERIFIED_PHONE_MINUTES = env.int("HOTLINE_VERIFIED_PHONE_MINUTES", default=30)
# Public progress look-up (H7): attempts per client address per hour.
HOTLINE_TRACK_MAX_PER_HOUR = env.int("HOTLINE_TRACK_MAX_PER_HOUR", default=30)
# Open311 GeoReport v2.
OPEN311_JURISDICTION_ID = env.str("OPEN311_JURISDICTION_ID", default="zwfw.example.gov.cn")
OPEN311_MAX_REQUESTS = env.int("OPEN311_MAX_REQUESTS", default=1000)
OPEN311_DEFAULT_DAYS = env.int("OPEN311_DEFAULT_DAYS", default=90)

# Lockout is per login name: service halls share one NAT address, so locking by IP would
# lock out a whole hall after one person's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
