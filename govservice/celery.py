"""The one Celery app. Tasks are found in each app's ``tasks.py``."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from celery import Celery
from django.conf import settings
from kombu.exceptions import OperationalError as BrokerUnavailableError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govservice.settings.base")


class PortalCelery(Celery):
    """Celery that stops trying a broker for a short pause after a publish to it failed.

    Every task the portal queues after a commit has its durable row (an outbox) and a sweep,
    so a publish that fails loses nothing; what it costs is time. A broker that refuses
    connections fails fast, but one that accepts them and never answers (hung, or its replies
    lost) costs every publish the socket timeouts, and a page that queues three tasks would
    wait three times. After one failure, publishes to that broker fail at once (the same
    ``kombu.exceptions.OperationalError`` the callers already handle) for
    ``BROKER_PUBLISH_PAUSE_SECONDS``; the first publish after the pause tries again.
    The pause is per process and per broker address.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._paused_until: dict[str, float] = {}
        self._pause_lock = threading.Lock()

    def _publish_target(self) -> str:
        return str(self.conf.broker_write_url or self.conf.broker_url or "")

    def send_task(self, name: str, *args: Any, **kwargs: Any) -> Any:
        target = self._publish_target()
        if time.monotonic() < self._paused_until.get(target, 0.0):
            raise BrokerUnavailableError(
                f"publishing paused after a failed publish; {name} left for its sweep"
            )
        try:
            return super().send_task(name, *args, **kwargs)
        except BrokerUnavailableError:
            pause = float(getattr(settings, "BROKER_PUBLISH_PAUSE_SECONDS", 0))
            with self._pause_lock:
                self._paused_until[target] = time.monotonic() + pause
            raise

    def resume_publishing(self) -> None:
        """Forget every pause (tests that end a simulated outage in the same process)."""
        with self._pause_lock:
            self._paused_until.clear()


app = PortalCelery("govservice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
