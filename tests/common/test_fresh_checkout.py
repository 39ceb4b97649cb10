"""A fresh clone runs: the embedded database and broker folders are made at start-up.

``var/`` is not in git. Before, ``manage.py seed_demo`` on a fresh clone failed because the
SQLite file's folder and the filesystem broker's folders were missing, and the messages the
seed queued after commit were lost.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from apps.common.local_folders import embedded_folders, ensure_embedded_folders

REPO = Path(settings.BASE_DIR)


def _filesystem_broker(base: Path) -> dict[str, str]:
    return {
        "data_folder_in": str(base / "broker" / "queue"),
        "data_folder_out": str(base / "broker" / "queue"),
        "processed_folder": str(base / "broker" / "processed"),
        "control_folder": str(base / "broker" / "control"),
    }


def test_embedded_folders_are_created_for_sqlite_and_the_filesystem_broker(tmp_path):
    folders = embedded_folders(
        database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "var" / "db")},
        broker_url="filesystem://localhost/",
        broker_options=_filesystem_broker(tmp_path / "var"),
    )
    created = ensure_embedded_folders(folders)
    assert ensure_embedded_folders(folders) == []  # a second start changes nothing
    assert sorted(created) == sorted(
        [
            tmp_path / "var",
            tmp_path / "var" / "broker" / "queue",
            tmp_path / "var" / "broker" / "processed",
            tmp_path / "var" / "broker" / "control",
        ]
    )
    assert all(folder.is_dir() for folder in created)


def test_no_folders_when_postgres_and_redis_are_configured():
    # The test settings use both servers.
    folders = embedded_folders(
        database=settings.DATABASES["default"],
        broker_url=settings.CELERY_BROKER_URL,
        broker_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    )
    assert folders == []
    assert ensure_embedded_folders() == []


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, timeout=60
    ).stdout


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None, reason="git, make")
def test_make_demo_on_a_fresh_clone(tmp_path):
    """``make demo`` in a clone of HEAD with nothing configured: SQLite and the filesystem
    broker under the clone's own ``var/``, created by the app. The clone reuses this
    interpreter's environment (``-o`` keeps make from reinstalling it): no network."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    _git("clone", "--quiet", "--no-hardlinks", str(REPO), str(clone), cwd=tmp_path)
    assert not (clone / "var" / "broker").exists()
    venv = Path(sys.executable).parent.parent
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith("PYTEST")
    }
    result = subprocess.run(
        ["make", "-o", str(venv / ".installed"), "demo", f"VENV={venv}"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "演示数据已就绪" in result.stdout
    assert (clone / "var" / "govservice.sqlite3").is_file()
    # What the seed queued after commit (notifications) waits in the broker's folder.
    assert list((clone / "var" / "broker" / "queue").iterdir())
    assert "Traceback" not in result.stderr
