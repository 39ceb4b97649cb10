"""A broker that accepts connections and never answers costs one request the socket
timeouts, not every request (issue 16): after a failed publish, publishing to that broker
fails at once for ``BROKER_PUBLISH_PAUSE_SECONDS``; other brokers are not affected, and the
first publish after the pause tries again. ``tests/ops/test_broker_outage.py`` shows the
staff pages this keeps fast."""

from __future__ import annotations

import socket
import time

import pytest
from kombu.exceptions import OperationalError

from govservice.celery import app as celery_app


@pytest.fixture
def hung_broker(settings):
    """A port that accepts connections (the kernel's backlog) and never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    url = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_write_url
    conf.broker_url = conf.broker_write_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield url
    conf.broker_url, conf.broker_write_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    server.close()


def _publish_seconds() -> float:
    started = time.monotonic()
    with pytest.raises(OperationalError):
        celery_app.send_task("apps.notifications.tasks.deliver_notification", args=[0])
    return time.monotonic() - started


def test_after_one_slow_failure_publishing_fails_at_once_until_the_pause_ends(
    hung_broker, settings
):
    settings.BROKER_PUBLISH_PAUSE_SECONDS = 1.0
    timeout = celery_app.conf.broker_transport_options["socket_timeout"]

    first = _publish_seconds()
    assert timeout <= first < 4 * timeout + 1, "bounded by the socket timeout, not hung"
    assert _publish_seconds() < 0.1, "paused: no second wait"

    time.sleep(1.1)
    assert _publish_seconds() >= timeout, "the pause is over: it tries the broker again"
