"""A Celery worker killed (``kill -9``) mid-task, another started: nothing lost, nothing sent
twice (issue 16; DOMAIN A14, A15).

Real ``celery -A govservice worker`` processes on the test database and the test broker,
with late acks and a visibility timeout of a few seconds (production: 15 minutes), so the
killed task comes back to the second worker within the test. The SMS and e-mail gateways
are doubles that record every request they receive, across processes
(``tests/ops/gateway.py``).

Each test places the kill where it hurts, deterministically:

* the supervision pass is held inside a chunk's transaction (the test holds a conflicting,
  uncommitted reminder mark of one application in the third chunk), after two chunks have
  committed;
* the notification batch is held inside a send: the gateway has taken the message and is
  slow to answer, so the row is not yet marked sent.
"""

from __future__ import annotations

import ast
import datetime
import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from apps.applications.models import (
    Application,
    ApplicationDocument,
    SupervisionMark,
    TimelineEvent,
    WarningLevel,
)
from apps.applications.tasks import supervise_applications
from apps.applications.workflow import State
from apps.notifications.bulk import BulkMessage, notify_bulk
from apps.notifications.models import Notification
from apps.notifications.tasks import redeliver_pending_notifications
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, accepted_application, guide_for
from tests.ops.workers import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

VISIBILITY_TIMEOUT = 3  # seconds, for these workers only
SUPERVISE = "apps.applications.tasks.supervise_applications"
SENT = Notification.Status.SENT


def _worker_env(**extra: str) -> dict[str, str]:
    return {"CELERY_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), **extra}


# --- The supervision pass ------------------------------------------------------------------

BATCH = 3  # applications per chunk (SUPERVISION_BATCH_SIZE), for these workers
DEEMED = 4  # undecided intakes: deemed accepted (SMS to the applicant), then overdue
OVERDUE = 10  # running cases past their due date: red reminders to three staff each


class MarkHeld:
    """An uncommitted reminder mark for one application, in another connection: the pass's
    ``INSERT … ON CONFLICT`` for that application waits until this transaction ends."""

    def __init__(self, application_id: int) -> None:
        self.application_id = application_id
        self.held, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)
        self.thread.start()
        assert self.held.wait(10)

    def _hold(self) -> None:
        try:
            with transaction.atomic():
                SupervisionMark.objects.create(
                    application_id=self.application_id, threshold=SupervisionMark.Threshold.RED
                )
                self.held.set()
                self.release.wait(90)
                transaction.set_rollback(True)
        finally:
            connection.close()

    def end(self) -> None:
        self.release.set()
        self.thread.join(10)


def _blocked_backends() -> list[int]:
    """Backends of the test database waiting for a lock on the mark table (the pass)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE %s",
            [f"%{SupervisionMark._meta.db_table}%"],
        )
        return [row[0] for row in cursor.fetchall()]


def _backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def _last_report(worker) -> dict[str, int]:
    line = [
        line
        for line in worker.log().splitlines()
        if f"Task {SUPERVISE}[" in line and "succeeded" in line
    ][-1]
    return ast.literal_eval(line[line.index("{") :])


def test_worker_killed_mid_supervision_pass_loses_no_reminder_and_repeats_none(
    workers, gateway, department, citizen, window_staff, approver, supervisor
):
    """A4a, A15: kill -9 inside the third chunk of the red reminders. The chunks before it
    stay done, the one in progress is rolled back whole; the pass comes back to a second
    worker and finishes, and the next pass finds nothing left. Every overdue case has one
    mark, one timeline reminder and one message to each of its three staff; every deemed
    acceptance happened once and its applicant got one SMS."""
    guide = guide_for(department)
    now = timezone.now()
    deemed = [
        ApplicationFactory(
            guide=guide, applicant=UserFactory(), received=now - datetime.timedelta(days=40)
        )
        for _ in range(DEEMED)
    ]
    overdue = [
        accepted_application(
            guide=guide, applicant=citizen, accepted_at=now - datetime.timedelta(days=60)
        )
        for _ in range(OVERDUE)
    ]
    everyone = [a.pk for a in deemed + overdue]
    staff = [window_staff, approver, supervisor]
    held = MarkHeld(overdue[2 * BATCH + 1].pk)  # the red pass walks (due date, id): chunk 3

    first = workers("first", env=_worker_env(SUPERVISION_BATCH_SIZE=str(BATCH), **gateway.env()))
    try:
        supervise_applications.delay()
        assert wait_for(_blocked_backends, timeout=45), first.log()[-3000:]
        [blocked] = _blocked_backends()
        red_marks = SupervisionMark.objects.filter(threshold=SupervisionMark.Threshold.RED)
        before_kill = red_marks.count()
        assert before_kill == 2 * BATCH, "two chunks done, the third in progress"
        assert (
            Application.objects.filter(pk__in=[a.pk for a in deemed], state=State.ACCEPTED).count()
            == DEEMED
        )

        first.kill()
        killed_at = time.monotonic()
    finally:
        held.end()
    # The killed worker's transaction is rolled back once its backend notices the client gone.
    assert wait_for(lambda: not _backend_alive(blocked), timeout=15)
    assert red_marks.count() == before_kill
    time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - killed_at)))

    second = workers(
        "second",
        env=_worker_env(SUPERVISION_BATCH_SIZE=str(BATCH), **gateway.env()),
        concurrency=2,
    )
    assert wait_for(lambda: second.succeeded(SUPERVISE) == 1, timeout=45), second.log()[-3000:]
    supervise_applications.delay()  # beat's next run
    assert wait_for(lambda: second.succeeded(SUPERVISE) == 2, timeout=30), second.log()[-3000:]
    sms = Notification.objects.filter(channel=Notification.Channel.SMS)
    assert wait_for(lambda: sms.filter(status=SENT).count() == DEEMED, timeout=30)

    assert _last_report(second) == dict.fromkeys(_last_report(second), 0), "nothing left"
    # Nothing lost, nothing twice: one mark, one reminder and three messages per case.
    marks = dict(
        red_marks.values_list("application").annotate(n=Count("id")).values_list("application", "n")
    )
    assert marks == dict.fromkeys(everyone, 1)
    reminders = Counter(
        TimelineEvent.objects.filter(
            kind=TimelineEvent.Kind.REMINDER, payload__threshold="red"
        ).values_list("application_id", flat=True)
    )
    assert reminders == Counter(everyone)
    assert set(
        Application.objects.filter(pk__in=everyone).values_list("warning_level", flat=True)
    ) == {WarningLevel.RED}
    alerts = Counter(
        Notification.objects.filter(title="办件已超期").values_list("recipient_id", "link")
    )
    assert len(alerts) == len(staff) * len(everyone) and set(alerts.values()) == {1}
    # The deemed acceptances: once each, with one notice and one SMS to the applicant.
    deemed_ids = [a.pk for a in deemed]
    assert Counter(
        TimelineEvent.objects.filter(kind=TimelineEvent.Kind.DEEMED_ACCEPTED).values_list(
            "application_id", flat=True
        )
    ) == Counter(deemed_ids)
    notices = ApplicationDocument.objects.filter(kind="acceptance_notice")
    assert Counter(notices.values_list("application_id", flat=True)) == Counter(deemed_ids)
    assert set(sms.values_list("attempts", flat=True)) == {1}
    keys = Counter(r.key for r in gateway.requests())
    assert keys == Counter(f"notification-{pk}" for pk in sms.values_list("pk", flat=True))


# --- A notification batch ------------------------------------------------------------------

PEOPLE = 10  # an SMS and an e-mail each: one batch of 20 deliveries
STALL_AT = 7  # the gateway takes the 7th message and is slow to answer: killed meanwhile


def test_worker_killed_mid_notification_batch_loses_none_and_sends_each_once(workers, gateway):
    """A14: kill -9 while the gateway holds the 7th message of a batch, unanswered. The six
    before are sent and marked; the 7th's row is rolled back to pending, so it is sent again
    — with the same idempotency key, which the gateway uses to drop the repeat; the rest go
    once. The batch comes back to a second worker (late ack) while the outbox sweep queues
    the same rows again: each row is still delivered once."""
    people = [UserFactory(email=f"person{i}@example.com") for i in range(PEOPLE)]
    first = workers("first", env=_worker_env(**gateway.env(latency=0.05, stall_at=STALL_AT)))
    first.wait_ready()
    with transaction.atomic():
        created = notify_bulk(
            BulkMessage(
                recipient_id=person.pk,
                channel=channel,
                title="政策到期提醒",
                body="您关注的政策将于下月到期。",
                dedupe_key=f"fault-test:{person.pk}",
                category="policy",
            )
            for person in people
            for channel in ("sms", "email")
        )
    ids = [row.id for row in created]
    rows = Notification.objects.filter(pk__in=ids)

    assert wait_for(lambda: len(gateway.requests()) >= STALL_AT, timeout=30), first.log()[-3000:]
    first.kill()
    killed_at = time.monotonic()
    in_flight = gateway.requests()[STALL_AT - 1]
    assert rows.filter(status=SENT).count() == STALL_AT - 1
    assert wait_for(  # its backend gone, the 7th's transaction rolled back
        lambda: rows.filter(status=Notification.Status.PENDING).count() == len(ids) - STALL_AT + 1,
        timeout=15,
    )
    time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - killed_at)))

    second = workers(
        "second",
        env=_worker_env(NOTIFICATION_REQUEUE_GRACE_SECONDS="1", **gateway.env(latency=0.05)),
        concurrency=2,
    )
    redeliver_pending_notifications.delay()  # beat's every-minute sweep, racing the batch
    assert wait_for(lambda: rows.filter(status=SENT).count() == len(ids), timeout=45), second.log()[
        -3000:
    ]
    redeliver_pending_notifications.delay()  # and the next minute's: nothing left to queue
    assert wait_for(
        lambda: second.succeeded("apps.notifications.tasks.redeliver_pending_notifications") == 2,
        timeout=20,
    )

    requests = Counter(r.key for r in gateway.requests())
    assert set(requests) == {f"notification-{pk}" for pk in ids}, "nothing lost"
    assert {key: n for key, n in requests.items() if n > 1} == {in_flight.key: 2}, (
        "only the message in flight at the kill was handed over again, under its own key"
    )
    assert set(rows.values_list("attempts", flat=True)) == {1}
    assert all(row.sent_at for row in rows)
