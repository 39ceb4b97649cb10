"""gunicorn settings for the web service (``gunicorn -c python:govservice.gunicorn_conf``).

Sync workers with persistent database connections (``DB_CONN_MAX_AGE``, production default
60 s, health-checked before reuse): at this portal's request times a sync worker per core
plus one keeps both cores busy; `docs/sizing.md` gives the figures.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A request slower than this is killed; the database's statement timeout ends first.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a leak cannot grow forever; jitter avoids all at once.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
forwarded_allow_ips = "*"  # only the proxy service can reach the web containers
