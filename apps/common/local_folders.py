"""Folders the embedded set-up of ``make run`` keeps its state in, created at start-up.

Without ``DATABASE_URL`` the portal keeps its data in a SQLite file under ``var/``, and
without ``CELERY_BROKER_URL`` Celery passes messages through folders under ``var/broker/``.
A fresh clone has neither folder (``var/`` is not in git): SQLite then cannot open its file,
and kombu's filesystem transport raises on the first publish, after the transaction that
queued the message has committed, so the message is lost. Every process that can touch
them (web, ``manage.py`` commands, the Celery worker and beat) creates them first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

SQLITE_ENGINE = "django.db.backends.sqlite3"
# The kombu filesystem transport's folder options (kombu.transport.filesystem).
BROKER_FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def embedded_folders(
    *, database: dict[str, Any], broker_url: str, broker_options: dict[str, Any]
) -> list[Path]:
    """The folders an embedded database and broker need; none for servers."""
    folders: list[Path] = []
    name = str(database.get("NAME") or "")
    if database["ENGINE"] == SQLITE_ENGINE and name and not name.startswith((":memory:", "file:")):
        folders.append(Path(name).parent)
    if broker_url.startswith("filesystem://"):
        folders += [Path(broker_options[k]) for k in BROKER_FOLDER_OPTIONS if broker_options.get(k)]
    return list(dict.fromkeys(folders))


def ensure_embedded_folders(folders: list[Path] | None = None) -> list[Path]:
    """Create the missing ``folders`` (default: those the settings need); return the ones
    created."""
    if folders is None:
        folders = embedded_folders(
            database=settings.DATABASES["default"],
            broker_url=settings.CELERY_BROKER_URL,
            broker_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        )
    created = []
    for folder in folders:
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
            created.append(folder)
    return created
