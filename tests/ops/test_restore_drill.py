"""The restore drill (issue 16): back up with ``bin/backup`` (pg_dump + the private files),
drop the database, restore with ``bin/restore`` into an empty one, and find every
application and every file again, byte for byte.

It runs the real scripts against a scratch database of its own (``drill_<test db>``), so it
never touches the test database's data beyond reading it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from psycopg2 import sql

from apps.applications import services
from apps.applications.models import Application, ApplicationMaterial
from apps.documents.models import IssuedDocument
from tests.applications.factories import guide_for
from tests.support.journeys import submit_online

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
TIMEOUT = 120


def _url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _admin(sql: str) -> None:
    """CREATE/DROP DATABASE outside a transaction, on the server's maintenance database."""
    conn = psycopg2.connect(_url("postgres"))
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def _run(script: str, *args: str, database_url: str, media: Path, private: Path) -> str:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        PRIVATE_FILES_ROOT=str(private),
    )
    done = subprocess.run(
        [str(ROOT / "bin" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _select(column: str, model) -> sql.Composed:
    """The column's non-empty values of the model's table."""
    return sql.SQL("SELECT {c} FROM {t} WHERE {c} <> ''").format(
        c=sql.Identifier(column), t=sql.Identifier(model._meta.db_table)
    )


def _restored(database_url: str, private: Path) -> tuple[set[str], dict[str, str]]:
    """What a restored database holds: application numbers, and each stored file's digest
    read from the restored private root (missing files are reported as ``missing``)."""
    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute(_select("number", Application))
        numbers = {row[0] for row in cur.fetchall()}
        cur.execute(_select("file", ApplicationMaterial))
        paths = [row[0] for row in cur.fetchall()]
        cur.execute(_select("pdf", IssuedDocument))
        paths += [row[0] for row in cur.fetchall()]
    conn.close()
    files = {p: _digest(private / p) if (private / p).exists() else "missing" for p in paths}
    return numbers, files


@pytest.fixture
def live_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "live-private"
    settings.MEDIA_ROOT = tmp_path / "live-media"
    return Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_FILES_ROOT)


@pytest.fixture
def scratch_database():
    name = f"drill_{connection.settings_dict['NAME']}"[:63]
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_drop_restore_finds_every_application_and_file(
    live_files, scratch_database, department, citizen, window_staff, render_documents, tmp_path
):
    media, private = live_files
    guide = guide_for(department)
    apps = [submit_online(citizen, guide, filename=f"申请书{i}.pdf") for i in range(3)]
    services.application_accept(application_id=apps[0].pk, actor=window_staff)
    assert render_documents() >= 1
    numbers = set(Application.objects.values_list("number", flat=True))
    stored = [m.file.name for m in ApplicationMaterial.objects.exclude(file="")]
    stored += [d.pdf.name for d in IssuedDocument.objects.exclude(pdf="")]
    expected = {name: _digest(private / name) for name in stored}
    assert len(numbers) == 3 and len(expected) == 4  # three uploads, one 受理通知书

    # The live database here is the test database: back it up, restore it into the scratch
    # database (now "production"), back that up, drop it, and restore it from its backup.
    live_backup = _run(
        "backup",
        str(tmp_path / "b1"),
        database_url=_url(connection.settings_dict["NAME"]),
        media=media,
        private=private,
    )
    scratch_url = _url(scratch_database)
    _admin(f'CREATE DATABASE "{scratch_database}"')
    prod_media, prod_private = tmp_path / "prod-media", tmp_path / "prod-private"
    _run("restore", live_backup, database_url=scratch_url, media=prod_media, private=prod_private)
    backup = _run(
        "backup",
        str(tmp_path / "b2"),
        database_url=scratch_url,
        media=prod_media,
        private=prod_private,
    )

    _admin(f'DROP DATABASE "{scratch_database}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{scratch_database}"')
    new_media, new_private = tmp_path / "new-media", tmp_path / "new-private"
    _run("restore", backup, database_url=scratch_url, media=new_media, private=new_private)

    restored_numbers, restored_files = _restored(scratch_url, new_private)
    assert restored_numbers == numbers
    assert restored_files == expected


def test_restore_refuses_a_damaged_archive(live_files, scratch_database, tmp_path):
    media, private = live_files
    backup = Path(
        _run(
            "backup",
            str(tmp_path / "b"),
            database_url=_url(connection.settings_dict["NAME"]),
            media=media,
            private=private,
        )
    )
    with (backup / "private.tar.gz").open("ab") as archive:
        archive.write(b"tampered")
    _admin(f'CREATE DATABASE "{scratch_database}"')
    env = dict(
        os.environ,
        DATABASE_URL=_url(scratch_database),
        MEDIA_ROOT=str(tmp_path / "m"),
        PRIVATE_FILES_ROOT=str(tmp_path / "p"),
    )
    done = subprocess.run(
        [str(ROOT / "bin" / "restore"), str(backup)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode != 0
    assert not (tmp_path / "p").exists()  # nothing unpacked from a damaged backup
