"""The Redis cache keeps one client per connection pool (issue 16: a client costs more CPU to
build than the GET it makes)."""

from __future__ import annotations

from django.core.cache import cache


def test_every_call_uses_the_same_client_and_values_round_trip():
    backend = cache._cache
    assert backend.get_client("a") is backend.get_client("b", write=True)
    cache.set("redis-cache-test", {"n": 1}, 30)
    assert cache.get("redis-cache-test") == {"n": 1}
    cache.delete("redis-cache-test")
    assert cache.get("redis-cache-test") is None
