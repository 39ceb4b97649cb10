"""Fixtures of the fault tests that run real Celery workers (issue 16)."""

from __future__ import annotations

import os
import signal
import uuid

import pytest
import redis

from govservice.celery import app as celery_app
from tests.ops.gateway import GatewayRequest, gateway_env, gateway_requests
from tests.ops.workers import WorkerProcess


def real_broker_url() -> str:
    """The test broker itself, even while a test points the settings at a proxy."""
    return os.environ["CELERY_BROKER_URL"]


@pytest.fixture
def clean_broker():
    """An empty broker before and after: no queued task, and no unacknowledged one a later
    worker would restore. Straight on Redis: the app may be pointed at a proxy that is cut."""
    store = redis.Redis.from_url(real_broker_url())
    queue = celery_app.conf.task_default_queue

    def clean() -> None:
        # The queue and its priority lists (kombu's "celery\x06\x16N" keys).
        store.delete(*store.keys(f"{queue}*"), "unacked", "unacked_index", "unacked_mutex")

    clean()
    yield store
    clean()


class Gateway:
    """The SMS and e-mail gateway double of one test (see tests/ops/gateway.py)."""

    def __init__(self) -> None:
        self.url = real_broker_url()
        self.log = f"fault-gateway:{uuid.uuid4().hex}"

    def env(self, *, latency: float = 0.0, stall_at: int = 0) -> dict[str, str]:
        return gateway_env(self.url, self.log, latency=latency, stall_at=stall_at)

    def requests(self) -> list[GatewayRequest]:
        return gateway_requests(self.url, self.log)


@pytest.fixture
def gateway():
    double = Gateway()
    yield double
    redis.Redis.from_url(double.url).delete(double.log)


@pytest.fixture
def workers(tmp_path, clean_broker):
    """``workers(name, broker_url=..., env=..., concurrency=...)`` starts a real worker;
    every worker still running at the end is killed."""
    started: list[WorkerProcess] = []

    def start(name: str, *, broker_url: str | None = None, **kwargs) -> WorkerProcess:
        worker = WorkerProcess(
            name, broker_url=broker_url or real_broker_url(), log_dir=tmp_path, **kwargs
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop(signal.SIGKILL)
