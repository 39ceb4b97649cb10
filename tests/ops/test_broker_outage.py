"""Staff accept and approve while the broker is out; the messages wait in the outbox and
go out once, when it is back (issue 16; DOMAIN A4, A10, A14).

The portal (this process, through Django's test client) and a real
``celery -A govservice worker`` reach Redis only through a TCP proxy the test controls:

* ``down``: every connection is dropped and new ones are closed at once (a Redis crash);
* ``hung``: nothing moves either way and new connections wait unanswered, everything
  already sent kept (a stopped Redis, a partition): without socket timeouts a publish
  would wait for ever, and a request sent just before it stopped is carried out later.

While it is out, window staff open the queue, accept and start the review, the approver
approves and opens the case: every page answers, none waits long (socket timeouts, then a
publishing pause: ``govservice.celery.PortalCelery``), ``/healthz`` says the broker is
down, the applicant's SMS rows wait as pending. When it is back the outbox sweep (beat's
every-minute task) queues them again; each is delivered exactly once — also a message
whose publish "failed" but reached Redis once it resumed.
"""

from __future__ import annotations

import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from celery import Celery
from django.test import Client

from apps.applications.models import Application
from apps.applications.workflow import State
from apps.notifications.models import Notification
from govservice.celery import app as celery_app
from tests.applications.factories import ApplicationFactory, guide_for
from tests.ops.tcp_proxy import TcpProxy
from tests.ops.workers import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

QUEUE = "/admin/applications/application/queue/"
SWEEP = "apps.notifications.tasks.redeliver_pending_notifications"
SOCKET_TIMEOUT = 2.0  # CELERY_BROKER_SOCKET_TIMEOUT's default
# A publish tries twice before it gives up; the slowest page is the one that finds out.
SLOWEST_PAGE = 2 * 2 * SOCKET_TIMEOUT + 2
APPLICATIONS = 2


def _action(application: Application, name: str) -> str:
    return f"/admin/applications/application/{application.pk}/action/{name}/"


def _detail(application: Application) -> str:
    return f"/admin/applications/application/{application.pk}/change/"


def _publish_to(url: str | None) -> None:
    conf = celery_app.conf
    conf.broker_url = conf.broker_write_url = url
    celery_app._pool = None  # pools are per broker connection
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_proxy(settings):
    """The broker seen through a proxy, by this process (publishing, /healthz) and by the
    workers the test starts with ``proxy.broker_url``."""
    real = urlsplit(settings.CELERY_BROKER_URL)
    proxy = TcpProxy((real.hostname or "127.0.0.1", real.port or 6379))
    proxy.broker_url = proxy.url("redis", real.path)
    saved = celery_app.conf.broker_url
    settings.CELERY_BROKER_URL = proxy.broker_url
    _publish_to(proxy.broker_url)
    yield proxy
    _publish_to(saved)
    proxy.close()


def _beat(broker_url: str) -> Celery:
    """What beat does every minute, from its own process (no publishing pause of ours)."""
    return Celery("beat", broker=broker_url)


@pytest.mark.parametrize("outage", ["down", "hung"])
def test_staff_accept_and_approve_while_the_broker_is_out_and_each_sms_goes_once(
    outage, broker_proxy, workers, gateway, department, citizen, window_staff, approver
):
    guide = guide_for(department)
    earlier, *cases = [
        ApplicationFactory(guide=guide, applicant=citizen) for _ in range(APPLICATIONS + 1)
    ]
    worker = workers(
        "worker",
        broker_url=broker_proxy.broker_url,
        env={**gateway.env(), "NOTIFICATION_REQUEUE_GRACE_SECONDS": "1"},
    )
    worker.wait_ready()
    staff, boss = Client(), Client()
    staff.force_login(window_staff)
    boss.force_login(approver)
    sms = Notification.objects.filter(recipient=citizen, channel=Notification.Channel.SMS)

    # Before the outage: the broker works, the SMS goes out at once (and the portal holds
    # pooled connections to it, as it would).
    assert staff.post(_action(earlier, "accept"), {"note": "材料齐全"}).status_code == 302
    assert wait_for(lambda: sms.filter(status=Notification.Status.SENT).count() == 1, 20)

    broker_proxy.cut() if outage == "down" else broker_proxy.freeze()
    timings: list[tuple[str, float]] = []

    def timed(client: Client, method: str, path: str, data=None, *, expect: int):
        started = time.monotonic()
        response = getattr(client, method)(path, data or {})
        timings.append((f"{method.upper()} {path}", time.monotonic() - started))
        assert response.status_code == expect, (path, response.status_code)
        return response

    for case in cases:
        timed(staff, "get", QUEUE, expect=200)
        timed(staff, "post", _action(case, "accept"), {"note": "材料齐全"}, expect=302)
        timed(staff, "post", _action(case, "start_review"), expect=302)
        timed(boss, "post", _action(case, "approve"), {"result_text": "准予许可"}, expect=302)
        page = timed(boss, "get", _detail(case), expect=200)
        assert "准予" in page.content.decode()
    health = timed(Client(), "get", "/healthz", expect=503)

    assert health.json()["broker"] == "down"
    assert max(seconds for _, seconds in timings) < SLOWEST_PAGE, timings
    slow = [(path, round(seconds, 1)) for path, seconds in timings if seconds > 1]
    assert len(slow) <= 2, f"after one slow publish the others answer at once: {slow}"
    assert set(
        Application.objects.filter(pk__in=[c.pk for c in cases]).values_list("state", flat=True)
    ) == {State.APPROVED}
    waiting = sms.filter(status=Notification.Status.PENDING)
    assert waiting.count() == sms.count() - 1, "every SMS of the outage waits in the outbox"
    titles = Counter(waiting.values_list("title", flat=True))
    assert titles["您的申请已受理"] == titles["您的申请已办结"] == APPLICATIONS, titles
    assert set(waiting.values_list("attempts", flat=True)) == {0}

    broker_proxy.restore()
    beat = _beat(broker_proxy.broker_url)
    try:
        beat.send_task(SWEEP)
        assert wait_for(lambda: not waiting.exists(), timeout=30), worker.log()[-3000:]
        beat.send_task(SWEEP)  # the next minute's: nothing is sent again
        assert wait_for(lambda: worker.succeeded(SWEEP) == 2, timeout=20), worker.log()[-3000:]
    finally:
        beat.close()

    requests = Counter(r.key for r in gateway.requests())
    assert requests == Counter(f"notification-{pk}" for pk in sms.values_list("pk", flat=True))
    assert set(sms.values_list("attempts", flat=True)) == {1}
