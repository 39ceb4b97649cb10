"""A task killed mid-run is delivered again within minutes, not after an hour (issue 7).

Late acks keep a message on the broker until its task finishes; Redis hands an
unacknowledged message out again after the visibility timeout. That timeout must be longer
than every task's hard time limit (or a running task runs twice) and short enough that a
killed supervision pass comes back soon.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis
from django.conf import settings

from govservice.celery import app as celery_app
from tests.common.celery_probe import count_then_hold

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 3  # seconds, for the workers of the redelivery test only
CELERY_DEFAULT_BACKOFF_MAX = 600  # seconds, when a task sets retry_backoff without a max


def _app_tasks():
    celery_app.loader.import_default_modules()
    return [task for name, task in celery_app.tasks.items() if not name.startswith("celery.")]


def test_visibility_timeout_fits_the_task_time_limits():
    conf = celery_app.conf
    visibility = conf.broker_transport_options["visibility_timeout"]
    tasks = _app_tasks()
    hard_limits = {task.name: task.time_limit or conf.task_time_limit for task in tasks}

    assert conf.task_acks_late is True
    assert "apps.applications.tasks.supervise_applications" in hard_limits
    assert all(limit for limit in hard_limits.values()), "every task has a hard time limit"
    assert visibility > max(hard_limits.values()), hard_limits
    assert visibility <= datetime.timedelta(minutes=15).total_seconds(), "well under an hour"
    for task in tasks:
        if getattr(task, "autoretry_for", ()) and task.retry_backoff:
            # A retry waits on the broker unacknowledged; past the timeout it would be
            # handed out twice.
            assert getattr(task, "retry_backoff_max", CELERY_DEFAULT_BACKOFF_MAX) < visibility, (
                task.name
            )


def _start_worker(queue: str, visibility_timeout: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govservice.settings.test",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_BROKER_VISIBILITY_TIMEOUT": str(visibility_timeout),
    }
    command = [sys.executable, "-m", "celery", "-A", "govservice", "worker", "--pool=solo"]
    command += ["-Q", queue, "--include", "tests.common.celery_probe", "-l", "WARNING"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, to kill it whole
    )


def _stop(worker: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(30)


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_killed_mid_task_leaves_it_to_be_delivered_again():
    """SIGKILL a real worker while it runs a late-acked task: a second worker runs it again
    once the visibility timeout (short here, from the environment) has passed."""
    store = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    key = f"test:redelivery:{uuid.uuid4().hex}"
    queue = f"redelivery-{uuid.uuid4().hex[:8]}"
    runs = lambda: int(store.get(key) or 0)  # noqa: E731

    first = _start_worker(queue, VISIBILITY_TIMEOUT)
    try:
        count_then_hold.apply_async(args=[key, 120], queue=queue)
        assert _wait_for(lambda: runs() == 1, timeout=60), "the first worker never started it"
        _stop(first, signal.SIGKILL)  # mid-run: no ack, no clean shutdown
    finally:
        _stop(first, signal.SIGKILL)
    # A worker looks for timed-out messages when it starts, then only every ~100 s (kombu's
    # restore interval × throttle): start the next one once the timeout has passed.
    time.sleep(VISIBILITY_TIMEOUT + 1)

    second = _start_worker(queue, VISIBILITY_TIMEOUT)
    try:
        assert _wait_for(lambda: runs() == 2, timeout=60), "the killed task never came back"
    finally:
        _stop(second)
        store.delete(key)
