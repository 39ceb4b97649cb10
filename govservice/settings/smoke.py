"""Smoke settings: the embedded defaults of ``make run`` — a SQLite file and the filesystem
Celery broker — with everything they write kept under ``var/smoke/`` (never the files of a
running ``make run``). ``make test`` runs ``tests/smoke`` with these settings after the
Postgres suite.
"""

from __future__ import annotations

import os

# The Postgres/Redis URLs of the main suite must not leak in: the point is the defaults.
for _name in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"):
    os.environ.pop(_name, None)
os.environ.setdefault("DJANGO_DEBUG", "false")

from govservice.settings.base import *  # noqa: E402, F403
from govservice.settings.base import VAR_DIR  # noqa: E402

SMOKE_DIR = VAR_DIR / "smoke"

assert DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"  # noqa: F405
assert CELERY_BROKER_URL.startswith("filesystem://")  # noqa: F405
# pytest-django creates the test database in this file (a file, as `make run` uses, so the
# worker thread and the test share it through real SQLite locking).
DATABASES["default"]["TEST"] = {"NAME": str(SMOKE_DIR / "test.sqlite3")}  # noqa: F405
_broker = SMOKE_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(_broker / "queue"),
    "data_folder_out": str(_broker / "queue"),
    "processed_folder": str(_broker / "processed"),
    "control_folder": str(_broker / "control"),
    "store_processed": False,
    "polling_interval": 0.1,
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = SMOKE_DIR / "media"
PRIVATE_FILES_ROOT = SMOKE_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = False

for _folder in ("queue", "processed", "control"):
    (_broker / _folder).mkdir(parents=True, exist_ok=True)
