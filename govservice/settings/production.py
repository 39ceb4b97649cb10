"""Production settings: every secret from the environment, secure transport enforced."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_DEBUG", "false")

from govservice.settings.base import *  # noqa: F403
from govservice.settings.base import DATABASES, env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
PII_ENCRYPTION_KEYS = env.list("PII_ENCRYPTION_KEYS")
PII_HASH_KEY = env.str("PII_HASH_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
WHITENOISE_USE_FINDERS = False  # the image runs collectstatic

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The same in the Content-Security-Policy (the guide editor's preview is an srcdoc frame,
# which frame-ancestors does not govern).
CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-ancestors"] = ["'none'"]  # noqa: F405
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Persistent connections under gunicorn: a sync worker keeps its connection between requests
# (checked before reuse, so a restarted database costs one failed check, not a failed page).
for _alias in DATABASES:
    DATABASES[_alias]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES[_alias]["CONN_HEALTH_CHECKS"] = True
