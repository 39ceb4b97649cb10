"""The public catalogue fragments that are the same for everyone, rendered once per
catalogue change and language and kept in the cache (Redis; issue 16: the home page's
counts, topics, bundles and departments were ~60× the trivial view on every request).

A fragment's key carries the catalogue's current version, a random token kept under
:data:`VERSION_KEY`. Any change to a catalogue row or a department clears that token
(:mod:`apps.catalogue.receivers`, which do nothing else), so the next request renders the
fragments afresh under a new one; the old entries expire on their own. Writes that bypass
model signals (the demand figures' ``bulk_update``) are caught up by :data:`TTL`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

T = TypeVar("T")

VERSION_KEY = "catalogue:public:version"
TTL = 300  # seconds: the most a bulk write's change can take to show


def public_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def public_catalogue_changed() -> None:
    """Forget every cached fragment (the next request renders them anew)."""
    cache.delete(VERSION_KEY)


def cached_public(name: str, build: Callable[[], T]) -> T:
    """``build()``, from the cache while the catalogue has not changed. ``build`` must not
    depend on the request (no user, no CSRF token): only on the language."""
    key = f"catalogue:public:{public_version()}:{get_language()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TTL)
    return value


def cached_fragment(name: str, render: Callable[[], str]) -> SafeString:
    """``render()``'s HTML (our own templates' output), cached as :func:`cached_public`."""
    return mark_safe(cached_public(name, lambda: str(render())))  # noqa: S308
