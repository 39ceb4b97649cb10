"""`make run` on its embedded defaults: a SQLite file and the filesystem Celery broker.

A real worker thread consumes the filesystem queue, so what the web process hands to Celery
(SMS delivery, document work, the supervision pass) goes through the same broker and the
same database file as in `make run`.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.models import Application
from apps.applications.tasks import supervise_applications
from apps.applications.workflow import State
from apps.notifications.models import Notification
from govservice.celery import app as celery_app
from tests.applications.factories import ApplicationFactory, guide_for
from tests.support.journeys import submit_online

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_SECONDS = 20.0


def _wait_for(predicate: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"


@pytest.fixture
def worker():
    """One Celery worker thread on the filesystem broker, started on an empty queue."""
    celery_app.control.purge()
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ) as running:
        yield running


def test_the_defaults_are_sqlite_and_the_filesystem_broker():
    assert connection.vendor == "sqlite"
    assert settings.CELERY_BROKER_URL.startswith("filesystem://")


def test_apply_accept_approve_and_download_the_result(
    client, worker, department, citizen, window_staff, approver
):
    """A4 → A9 → A10: the applicant downloads the licence as a PDF."""
    app = submit_online(citizen, guide_for(department))
    services.application_accept(application_id=app.pk, actor=window_staff)
    sms = Notification.objects.get(recipient=citizen, channel="sms")

    def sms_delivered() -> bool:  # on_commit → filesystem queue → worker → SQLite
        sms.refresh_from_db()
        return sms.status == Notification.Status.SENT

    assert _wait_for(sms_delivered), f"SMS still {sms.status}: {sms.last_error!r}"

    services.application_start_review(application_id=app.pk, actor=window_staff)
    services.application_approve(application_id=app.pk, actor=approver, result_text="准予许可")
    licence = app.documents.get(kind="licence")
    url = reverse("applications:document", args=[app.pk, licence.document_id])
    client.force_login(citizen)
    responses = []

    def downloaded() -> bool:  # rendered in the request or by the worker, whichever the code does
        responses.append(client.get(url))
        return responses[-1].status_code == 200

    assert _wait_for(downloaded), responses[-1].status_code
    response = responses[-1]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF")


def test_a_supervision_pass_through_the_broker(worker, department, citizen):
    """A4a: an intake left undecided past its 5 working days is deemed accepted."""
    long_ago = timezone.now() - datetime.timedelta(days=30)
    app = ApplicationFactory(guide=guide_for(department), applicant=citizen, received=long_ago)

    supervise_applications.delay()

    def deemed() -> bool:
        return Application.objects.get(pk=app.pk).state == State.ACCEPTED

    assert _wait_for(deemed), Application.objects.get(pk=app.pk).state
    assert Application.objects.get(pk=app.pk).deemed_accepted
