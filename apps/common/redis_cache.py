"""Django's Redis cache, with one client object per connection pool (issue 16).

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call.
The client holds no connection (the pool does), but building it sets up its response
callbacks: about 60–90 µs of CPU with redis-py 8, twice what the GET itself costs. A signed-in
page makes several calls (its session, the inbox badge, cached fragments), so that was up to
half a millisecond a request, more than the trivial view's whole cost.

The client is kept per pool. A ``redis.Redis`` is safe to share; Django's cache handler gives
each thread its own cache object anyway, and the pool reconnects after an outage as before.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class _ReusingClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ReusingClient
