"""End to end on the real stack: Postgres, the Redis broker and a real Celery worker."""

from __future__ import annotations

import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection, transaction

from apps.notifications import delivery
from apps.notifications.models import Notification
from apps.notifications.services import notify
from govservice.celery import app as celery_app
from tests.accounts.factories import UserFactory

# Committed transactions are the point here; the people below need no role groups, which a
# transactional test's flush removes.
pytestmark = pytest.mark.django_db(transaction=True)


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_real_worker_delivers_email_after_commit():
    """DOMAIN A14: commit → on_commit → Redis → worker → send_mail → row marked sent."""
    person = UserFactory(full_name="王小明", email="wang@example.com")
    celery_app.control.purge()  # nothing left over from earlier runs on this broker DB

    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ):
        with transaction.atomic():
            inbox, email = notify(
                recipient=person,
                title="您的申请已办结",
                body="申请编号 SQ2026001 已办结，可下载电子证照。",
                link="/applications/1/",
                channels=("inbox", "email"),
                dedupe_key=f"application:1:done:user:{person.pk}",
            )
            time.sleep(0.5)  # a worker racing the transaction would find nothing to send
            assert len(mail.outbox) == 0

        def delivered() -> bool:
            email.refresh_from_db()
            return email.status == Notification.Status.SENT

        assert _wait_for(delivered), f"still {email.status} after 20s: {email.last_error!r}"

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang@example.com"]
    assert "您的申请已办结" in mail.outbox[0].subject
    assert email.attempts == 1
    inbox.refresh_from_db()
    assert inbox.status == Notification.Status.SENT


def test_row_being_delivered_by_another_worker_is_skipped():
    """SKIP LOCKED: while one worker holds the row, a second delivery does nothing."""
    person = UserFactory(email="li@example.com")
    with transaction.atomic():
        [email] = notify(recipient=person, title="提醒", body="正文", channels=("email",))

    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=email.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(10)
        outcome = delivery.notification_deliver(notification_id=email.pk)
    finally:
        release.set()
        holder.join(10)

    assert outcome is delivery.Outcome.SKIPPED
    assert len(mail.outbox) == 0
    assert delivery.notification_deliver(notification_id=email.pk) is delivery.Outcome.SENT
    assert len(mail.outbox) == 1
