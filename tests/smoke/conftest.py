"""The smoke set runs only with ``govservice.settings.smoke`` (``make test`` runs it second,
on SQLite and the filesystem broker); the Postgres suite leaves it out."""

from __future__ import annotations

import os

SMOKE_SETTINGS = "govservice.settings.smoke"

if os.environ.get("DJANGO_SETTINGS_MODULE") != SMOKE_SETTINGS:
    collect_ignore_glob = ["test_*.py"]
