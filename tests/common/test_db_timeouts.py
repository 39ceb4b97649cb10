"""A database that accepts connections and never answers: requests fail in seconds (issue 7).

Before, every request (``/healthz`` included) waited on the silent server until the web
worker was killed (about 60 s under gunicorn; forever here). The listener is a real TCP port
the test holds open without ever answering; requests run in a thread of their own, whose new
connection goes there.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.common.conftest import call_in_thread, silent_listener

pytestmark = pytest.mark.django_db

# Generous (the connect timeout is 5 s): what matters is that the request ends at all,
# which it never did before the fix.
GIVE_UP_AFTER = 30


def _get(path: str):
    client = Client()
    client.raise_request_exception = False
    return lambda: client.get(path)


def test_healthz_says_503_when_the_database_accepts_but_never_answers(database_at):
    with silent_listener() as port:
        database_at(port)
        done, response = call_in_thread(_get("/healthz"), join_timeout=GIVE_UP_AFTER)

    assert done, "still waiting on a database that never answers"
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.parametrize("path", ["/search/?q=食品", "/api/v1/catalogue/items/"])
def test_pages_and_api_fail_fast_when_the_database_never_answers(database_at, path):
    with silent_listener() as port:
        database_at(port)
        done, response = call_in_thread(_get(path), join_timeout=GIVE_UP_AFTER)

    assert done, "still waiting on a database that never answers"
    assert response.status_code == 503


def test_every_connection_carries_the_statement_timeout():
    """A runaway or stuck statement is cancelled by the server after the configured time."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        [shown] = cursor.fetchone()

    expected = settings.DB_STATEMENT_TIMEOUT_MS
    assert expected > 0
    assert shown == (f"{expected // 1000}s" if expected % 1000 == 0 else f"{expected}ms")
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == settings.DB_CONNECT_TIMEOUT
