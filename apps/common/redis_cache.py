"""Django's Redis cache with one redis-py client per connection pool (issue 16).

Django's ``RedisCacheClient`` wraps its connection pool in a new ``redis.Redis`` for every
cache call; building one copies redis-py's table of response callbacks, about 60 µs of CPU,
a sixth of the anonymous trivial view, and a signed-in staff page makes two such calls (its
session and its user's access). A ``redis.Redis`` holds no connection of its own (it takes
one from the pool for each command and gives it back) and may be shared between threads
(redis-py's documentation), so each pool gets one, built on first use. Everything else is
Django's: the servers, the pools, the serializer, the options.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
