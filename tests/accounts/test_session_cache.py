"""Sessions are rows in the database read through Redis (issue 16; apps.accounts.sessions):
a signed-in page reads no session row, a Redis flush or outage signs nobody out, and signing
out ends the session for good."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from apps.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db

COOKIE = django_settings.SESSION_COOKIE_NAME
PAGE = "/accounts/privacy/"
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def _signed_in(client: Client) -> bool:
    return client.get(PAGE).wsgi_request.user.is_authenticated


def test_a_signed_in_page_reads_no_session_row(client, citizen, django_assert_num_queries):
    client.force_login(citizen)
    client.get(PAGE)  # the unread badge counted once

    with django_assert_num_queries(1) as captured:  # the user row only
        assert _signed_in(client)

    assert "django_session" not in captured.captured_queries[0]["sql"]


def test_a_redis_flush_signs_nobody_out(client, citizen):
    client.force_login(citizen)
    assert _signed_in(client)

    cache.clear()

    assert _signed_in(client)


def test_signing_out_ends_the_session_for_good(client, citizen):
    client.force_login(citizen)
    assert _signed_in(client)
    old_key = client.cookies[COOKIE].value

    client.post(reverse("accounts:logout"))

    replay = Client()
    replay.cookies[COOKIE] = old_key
    assert not _signed_in(replay)


def test_with_redis_unreachable_the_session_is_read_from_its_row(client, citizen):
    client.force_login(citizen)
    key = client.cookies[COOKIE].value

    with override_settings(CACHES=DEAD_REDIS):
        store = SessionStore(key)
        assert store.get("_auth_user_id") == str(citizen.pk)
        store["seen"] = True
        store.save()  # the row is written; the cache's failure is only logged

    # The row has it (a copy Redis kept from before the outage lags for at most
    # SESSION_CACHE_SECONDS).
    assert DatabaseSessionStore(key).get("seen") is True


def test_an_expired_session_is_not_served_from_its_cached_copy(client, citizen):
    """The copy in Redis carries the session's expiry: past it the person is signed out,
    even while Redis still keeps the copy (its TTL runs on its own clock)."""
    client.force_login(citizen)
    assert _signed_in(client)
    key = client.cookies[COOKIE].value
    expires = SessionStore(key).get_expiry_date()

    with time_machine.travel(expires + datetime.timedelta(seconds=1)):
        assert not _signed_in(client)
