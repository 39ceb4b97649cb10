"""Test settings: real Postgres and Redis on localhost (never SQLite, never mocks)."""

from __future__ import annotations

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/govservice")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/2")
os.environ.setdefault("DJANGO_DEBUG", "false")


def _worker_isolation() -> str:
    """Under pytest-xdist each worker process gets its own Redis databases (cache and broker:
    the second worker's are the first's shifted by two) and its own media folders, as it
    gets its own test database from pytest-django. The shifted URLs are written back to the
    environment with a marker, so a process a test starts (a Celery worker, gunicorn)
    inherits them instead of shifting them again. Returns the folder suffix."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return ""
    if os.environ.get("GOVSERVICE_TEST_WORKER") != worker:
        shift = 2 * int(worker[2:])
        for name in ("REDIS_URL", "CELERY_BROKER_URL"):
            base, _, db = os.environ[name].rpartition("/")
            os.environ[name] = f"{base}/{(int(db or 0) + shift) % 16}"
        os.environ["GOVSERVICE_TEST_WORKER"] = worker
    return f"-{worker}"


_WORKER_SUFFIX = _worker_isolation()

from govservice.settings.base import *  # noqa: E402, F403
from govservice.settings.base import BASE_DIR, env  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
# pytest-django sets locmem for the test process itself; a worker the fault tests start
# as a subprocess reads its gateway double from the environment.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{_WORKER_SUFFIX}"
PRIVATE_FILES_ROOT = BASE_DIR / "var" / f"test-private{_WORKER_SUFFIX}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="gs-test")  # noqa: F405
PII_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LXBpaS1rZXktLS0tLS0tLS0tLS0tLS0="]
PII_HASH_KEY = "test-only-pii-hash-key"
CELERY_TASK_ALWAYS_EAGER = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The reviews demo goes through the real services: a small volume keeps seed_demo tests fast.
REVIEWS_DEMO_REVIEWS = 60
# The suite makes many anonymous requests from one address (the contract run alone sends
# hundreds): limits far above that; the rate-limit tests set their own low ones.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon_read": "100000/min", "anon_write": "100000/min"},
}
REGISTER_RATE = "100000/hour"
SEARCH_RATE = "100000/min"
# Many tests move the clock by days (time-machine) between a staff member's requests; the
# idle timeout would sign them out. Its own tests set the real figure.
STAFF_SESSION_IDLE_MINUTES = 60 * 24 * 365 * 10
