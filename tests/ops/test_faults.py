"""Faults survived (issue 16), with real processes and sockets, each bounded in time.

* The database connection is cut by a TCP proxy the test controls: ``/healthz`` says 503,
  pages answer the Chinese error page (503), and the same long-lived worker thread — a
  gunicorn worker with persistent, health-checked connections — serves again as soon as
  the database is back, without a restart.
* The private-files disk is full (a real 64 KiB tmpfs): an upload is refused with a
  message, no material row is written without its file, nothing half-written is left.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client

from apps.applications import services
from apps.applications.models import ApplicationMaterial
from apps.common.errors import ApplicationError
from tests.applications.factories import guide_for, main_material, pdf_upload
from tests.ops.tcp_proxy import TcpProxy

pytestmark = pytest.mark.django_db
TIMEOUT = 30


@pytest.fixture
def proxied_database(monkeypatch):
    """New connections go through the proxy, kept between requests and health-checked
    before reuse, as production configures them."""
    connection.ensure_connection()  # the test's own connection stays direct
    settings_dict = connection.settings_dict
    proxy = TcpProxy((settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432)))
    monkeypatch.setitem(settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(settings_dict, "PORT", str(proxy.port))
    monkeypatch.setitem(settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(settings_dict, "CONN_HEALTH_CHECKS", True)
    yield proxy
    proxy.close()


def test_database_cut_gives_503_and_the_same_worker_recovers(proxied_database):
    worker = ThreadPoolExecutor(max_workers=1)  # one long-lived worker thread

    def request(path: str):
        # What Django's WSGI handler does around every request (request_started /
        # request_finished); the test client leaves these out to keep test transactions.
        close_old_connections()
        client = Client()
        client.raise_request_exception = False
        try:
            return client.get(path)
        finally:
            close_old_connections()

    def get(path: str):
        return worker.submit(request, path).result(timeout=TIMEOUT)

    try:
        assert get("/healthz").status_code == 200
        assert get("/search/?q=营业执照").status_code == 200

        proxied_database.cut()
        health = get("/healthz")
        page = get("/search/?q=护照")  # never asked before: only the database can answer
        answered = get("/search/?q=营业执照")  # asked before: its results are in Redis
        api = get("/api/v1/catalogue/items/")

        assert health.status_code == 503 and health.json()["database"] == "down"
        assert page.status_code == 503 and "请稍后再试" in page.content.decode()
        assert answered.status_code == 200 and "营业执照" in answered.content.decode()
        assert api.status_code == 503 and api.json()["error"]["code"] == "service_unavailable"

        proxied_database.restore()
        assert get("/healthz").status_code == 200
        assert get("/search/?q=营业执照").status_code == 200
    finally:
        worker.submit(connections.close_all).result(timeout=TIMEOUT)
        worker.shutdown()


@pytest.fixture
def full_disk(tmp_path, settings):
    """A 64 KiB tmpfs as the private-files root, filled to the last byte."""
    mount = tmp_path / "private"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)")
    settings.PRIVATE_FILES_ROOT = mount
    filler = mount / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as f:
        while True:
            f.write(b"\0" * 4096)
            f.flush()
    yield mount, filler
    subprocess.run(["umount", str(mount)], check=False)


def _files(root: Path) -> set[str]:
    return {str(Path(d, f).relative_to(root)) for d, _dirs, files in os.walk(root) for f in files}


def test_upload_to_a_full_disk_is_refused_cleanly(full_disk, department, citizen):
    mount, filler = full_disk
    guide = guide_for(department)
    draft = services.application_create_draft(actor=citizen, item_id=guide.item_id)

    def attach():
        return services.application_attach_material(
            application_id=draft.pk,
            actor=citizen,
            guide_material_id=main_material(guide).pk,
            upload=pdf_upload(size=40_000),
        )

    with pytest.raises(ApplicationError) as refused:
        attach()

    assert refused.value.code == "storage_unavailable"
    assert not ApplicationMaterial.objects.filter(application=draft).exists()
    assert _files(mount) == {"filler"}  # nothing half-written left behind

    filler.unlink()  # space again: the same upload goes through
    material = attach()
    assert (mount / material.file.name).stat().st_size == material.size
