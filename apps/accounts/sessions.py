"""Sessions kept in Postgres and read through the shared Redis cache (issue 16).

Every signed-in request reads its session before any page work; Django's database backend
spends a query (and its ORM work) on it. This backend is Django's ``cached_db``: the row in
Postgres stays the record (a Redis flush or restart loses nothing, the next request reads the
row again), and the cache answers the reads in between. It differs in two ways:

* the cached copy lives at most ``SESSION_CACHE_SECONDS``, so a copy the cache could not
  forget (Redis unreachable at the moment of a sign-out) ends within minutes, not at the
  session's own expiry;
* Redis errors never fail a request: a read falls back to the row, a write or delete that
  cannot reach the cache is logged (the row is written or deleted either way);
* the copy carries the session's expiry and is never served past it, whatever Redis's own
  clock says (its TTL only bounds how long the copy is kept).

Signing out, the staff idle timeout (``apps.accounts.middleware``) and a password change
act as before: the first two delete the session (row and cached copy), and a password change
makes the session's stored hash differ from the user's, which ``django.contrib.auth`` checks
against the user row on every request.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.utils import timezone

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    cache_key_prefix = "accounts.session."

    def _cache_seconds(self, expiry_age: int) -> int:
        return max(1, min(expiry_age, settings.SESSION_CACHE_SECONDS))

    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # Redis unreachable: the row answers
            logger.warning("Session cache unreachable; reading the session from the database")
            data = None
        if isinstance(data, tuple) and len(data) == 2 and data[1] > timezone.now():
            return data[0]
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        self._cache_set(data, row.expire_date)
        return data

    def exists(self, session_key: str) -> bool:
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:  # Redis unreachable: the table decides
            logger.warning("Session cache unreachable; checking the session key in the database")
        return super(CachedDBStore, self).exists(session_key)

    def save(self, must_create: bool = False) -> None:
        # The database store's save (the row), not cached_db's: its cache write is ours.
        super(CachedDBStore, self).save(must_create)
        self._cache_set(self._session, self.get_expiry_date())

    def delete(self, session_key: str | None = None) -> None:
        super(CachedDBStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.warning(
                "Session cache unreachable; its copy of a deleted session ends within %s s",
                settings.SESSION_CACHE_SECONDS,
            )

    def _cache_set(self, data: dict, expires: datetime) -> None:
        """The session's data with its expiry, kept at most ``SESSION_CACHE_SECONDS``."""
        expiry_age = int((expires - timezone.now()).total_seconds())
        if expiry_age <= 0:
            return
        try:
            self._cache.set(self.cache_key, (data, expires), self._cache_seconds(expiry_age))
        except Exception:
            logger.warning("Session cache unreachable; the session was kept in the database only")
