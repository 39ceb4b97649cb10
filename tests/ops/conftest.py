"""Fixtures of the fault tests that run real Celery workers (issue 16)."""

from __future__ import annotations

import signal
import uuid

import pytest
import redis
from django.conf import settings

from govservice.celery import app as celery_app
from tests.ops.gateway import GatewayRequest, gateway_env, gateway_requests
from tests.ops.workers import WorkerProcess


@pytest.fixture
def clean_broker():
    """An empty broker before and after: no queued task, and no unacknowledged one a later
    worker would restore."""
    store = redis.Redis.from_url(settings.CELERY_BROKER_URL)

    def clean() -> None:
        celery_app.control.purge()
        store.delete("unacked", "unacked_index", "unacked_mutex")

    clean()
    yield store
    clean()


class Gateway:
    """The SMS and e-mail gateway double of one test (see tests/ops/gateway.py)."""

    def __init__(self) -> None:
        self.url = settings.CELERY_BROKER_URL
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
            name, broker_url=broker_url or settings.CELERY_BROKER_URL, log_dir=tmp_path, **kwargs
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop(signal.SIGKILL)
