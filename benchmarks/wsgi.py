"""WSGI entry point for benchmarks that need a real server (``bench_bursts``): the project's
application with the benchmarks' URLs (the project's plus the trivial view), so the
baseline is measured through the same gunicorn workers as the pages."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govservice.settings.production")

application = get_wsgi_application()
# Resolved per request from the setting: set before the first one.
settings.ROOT_URLCONF = "benchmarks.urls"
