"""Real ``celery -A govservice worker`` processes for the fault tests (issue 16).

Each worker runs in its own process group (to kill it whole, ``kill -9`` included), on the
test's database (committed rows only: the tests using it are transactional) and the
broker the test names, and logs to a file the test can read when it fails.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate: Callable[[], object], timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def database_url_for_workers() -> str:
    """The test database (``test_…``) as a URL for another process."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class WorkerProcess:
    def __init__(
        self,
        name: str,
        *,
        broker_url: str,
        log_dir: Path,
        env: dict[str, str] | None = None,
        concurrency: int = 1,
    ):
        self.name = name
        self.log_path = log_dir / f"worker-{name}.log"
        pool = ["--pool=solo"] if concurrency == 1 else ["--pool=prefork", f"-c{concurrency}"]
        command = [sys.executable, "-m", "celery", "-A", "govservice", "worker", *pool]
        command += ["-n", f"{name}@%h", "-l", "INFO"]
        command += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
        full_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "govservice.settings.test",
            "DATABASE_URL": database_url_for_workers(),
            "CELERY_BROKER_URL": broker_url,
            **(env or {}),
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=full_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 45) -> None:
        if not wait_for(
            lambda: " ready." in self.log() or self.process.poll() is not None, timeout
        ):
            raise AssertionError(f"worker {self.name} not ready:\n{self.log()[-3000:]}")
        if self.process.poll() is not None:
            raise AssertionError(f"worker {self.name} exited:\n{self.log()[-3000:]}")

    def succeeded(self, task_name: str) -> int:
        """How many runs of ``task_name`` this worker finished."""
        return sum(
            1
            for line in self.log().splitlines()
            if f"Task {task_name}[" in line and " succeeded in " in line
        )

    def kill(self) -> None:
        """``kill -9`` the worker and its pool: no ack, no clean shutdown, no rollback sent."""
        self.stop(signal.SIGKILL)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
