"""Fail with one clear line when Postgres or Redis is not reachable."""

from __future__ import annotations

import os
import sys

import environ
import psycopg2
import redis

db = environ.Env.db_url_config(os.environ["DATABASE_URL"])
try:
    psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
        connect_timeout=3,
    ).close()
except psycopg2.Error:
    sys.exit(
        f"PostgreSQL is not reachable at {db['HOST']}:{db['PORT'] or 5432}; start it with: "
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
    )
try:
    redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=3).ping()
except redis.RedisError:
    sys.exit(
        f"Redis is not reachable at {os.environ['REDIS_URL']}; start it with: redis-server "
        "--daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no"
    )
