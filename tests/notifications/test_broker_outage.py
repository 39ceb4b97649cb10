"""A broker outage after commit: the change stands, the outbox sweep sends the rest (issue 7).

Real Postgres and the real Redis transport throughout: the outage is Celery publishing to a
port where nothing listens, then publishing to the test broker again.
"""

from __future__ import annotations

import datetime
import json
import socket
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from apps.applications.workflow import State
from apps.notifications.models import Notification
from apps.notifications.tasks import redeliver_pending_notifications
from govservice.celery import app as celery_app
from tests.applications.factories import ApplicationFactory, guide_for

# The point is what happens after a real commit.
pytestmark = pytest.mark.django_db(transaction=True)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends


def _publish_to(url: str | None) -> None:
    """Point Celery's publisher at ``url`` (None: back to the broker); its producer pool is
    per connection, so drop it. Workers keep reading the real broker."""
    celery_app.conf.broker_write_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_outage():
    """Publishing fails between ``start()`` and ``end()``."""

    class Outage:
        def start(self) -> None:
            _publish_to(f"redis://127.0.0.1:{_closed_port()}/0")

        def end(self) -> None:
            _publish_to(None)

    outage = Outage()
    yield outage
    outage.end()


@pytest.fixture
def sms_outbox(settings):
    from apps.notifications.sms import LocmemSmsBackend

    settings.SMS_BACKEND = "apps.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox = []


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_committed_accept_answers_success_while_the_broker_is_down(
    department, window_staff, citizen, other_dept_staff, broker_outage, sms_outbox
):
    """A4(1) accept commits while Celery cannot publish its SMS: 200, not 500; the SMS row
    stays pending, and a minute or two after the broker is back the sweep sends it (A14)."""
    application = ApplicationFactory(guide=guide_for(department), applicant=citizen)
    staff = APIClient()
    staff.force_authenticate(window_staff)
    denied = APIClient()
    denied.force_authenticate(other_dept_staff)
    assert denied.post(f"/api/v1/applications/{application.pk}/accept").status_code == 403

    broker_outage.start()
    response = staff.post(f"/api/v1/applications/{application.pk}/accept", {}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.ACCEPTED
    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    [sms] = Notification.objects.filter(recipient=citizen, channel=Notification.Channel.SMS)
    assert sms.status == Notification.Status.PENDING and sms.attempts == 0

    broker_outage.end()
    celery_app.control.purge()
    # Two minutes later: long before the 15 minutes a lost task used to wait.
    Notification.objects.filter(pk=sms.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ):
        assert redeliver_pending_notifications.apply().get() == 1

        def sent() -> bool:
            sms.refresh_from_db()
            return sms.status == Notification.Status.SENT

        assert _wait_for(sent), f"still {sms.status}: {sms.last_error!r}"

    assert [phone for phone, _ in sms_outbox] == [citizen.phone]


def test_sweep_leaves_fresh_and_retrying_rows_to_their_own_tasks(citizen):
    """Never tried and older than the grace → re-queued; younger, or waiting for a retry
    back-off (tried, under 15 minutes) → left alone; re-queued rows wait a grace again."""
    from apps.notifications.services import notify

    now = timezone.now()
    lost, _fresh, retrying = (
        notify(recipient=citizen, title=f"提醒{i}", body="", channels=("sms",))[0] for i in range(3)
    )
    Notification.objects.filter(pk=lost.pk).update(updated_at=now - datetime.timedelta(minutes=2))
    Notification.objects.filter(pk=retrying.pk).update(
        attempts=1, updated_at=now - datetime.timedelta(minutes=10)
    )
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = celery_app.conf.task_default_queue
    celery_app.control.purge()

    assert redeliver_pending_notifications.apply().get() == 1
    assert redeliver_pending_notifications.apply().get() == 0, "stamped: not again at once"

    queued = [json.loads(raw)["headers"]["argsrepr"] for raw in broker.lrange(queue, 0, -1)]
    celery_app.control.purge()
    assert queued == [f"({lost.pk},)"]
