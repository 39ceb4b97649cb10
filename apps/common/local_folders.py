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

from django.conf import settings

SQLITE_ENGINE = "django.db.backends.sqlite3"
# The kombu filesystem transport's folder options (kombu.transport.filesystem).
BROKER_FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def embedded_folders() -> list[Path]:
    """The folders the configured embedded database and broker need; none for servers."""
    folders: list[Path] = []
    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if database["ENGINE"] == SQLITE_ENGINE and name and not name.startswith(":memory:"):
        if not name.startswith("file:"):
            folders.append(Path(name).parent)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        folders += [Path(options[key]) for key in BROKER_FOLDER_OPTIONS if options.get(key)]
    return list(dict.fromkeys(folders))


def ensure_embedded_folders() -> list[Path]:
    """Create the missing folders of :func:`embedded_folders`; return the ones created."""
    created = []
    for folder in embedded_folders():
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
            created.append(folder)
    return created
