"""Readiness of the parts the portal cannot work without: the database and the broker."""

from __future__ import annotations

from django.db import connection
from kombu import Connection

from govservice.celery import app as celery_app


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok(url: str | None = None, timeout: float = 2.0) -> bool:
    url = url or celery_app.conf.broker_url
    try:
        with Connection(
            url, transport_options=celery_app.conf.broker_transport_options, connect_timeout=timeout
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            if url.startswith("redis"):
                conn.default_channel.client.ping()
        return True
    except Exception:
        return False
