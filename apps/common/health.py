"""Readiness of the parts the portal cannot work without: the database and the broker."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from kombu import Connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok(url: str | None = None, timeout: float = 2.0) -> bool:
    # The Celery app is configured from these settings (CELERY_ namespace); reading them here
    # keeps apps independent of the project package.
    url = url or settings.CELERY_BROKER_URL
    try:
        with Connection(
            url, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS, connect_timeout=timeout
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            if url.startswith("redis"):
                conn.default_channel.client.ping()
        return True
    except Exception:
        return False
