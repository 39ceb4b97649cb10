"""The Redis cache builds one redis-py client per connection pool, not one per call (issue 16;
apps.common.redis_cache)."""

from __future__ import annotations

from django.core.cache import cache, caches

from apps.common.redis_cache import RedisCache


def test_the_cache_is_the_shared_client_one():
    assert isinstance(caches["default"], RedisCache)


def test_calls_share_one_client_and_still_answer():
    cache.set("common.redis-cache.probe", {"a": 1}, 30)

    assert cache.get("common.redis-cache.probe") == {"a": 1}
    assert cache.get_many(["common.redis-cache.probe"]) == {"common.redis-cache.probe": {"a": 1}}
    client = caches["default"]._cache
    assert client.get_client(write=True) is client.get_client(write=True)
    assert client.get_client() is client.get_client(write=False)
