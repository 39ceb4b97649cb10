"""PDFs are rendered after the issuing transaction commits, by a worker (DOMAIN A4, A16).

Issuing fixes the number and the text under the case's and the numbering's row locks; the
slow rendering happens afterwards, with no lock held, so one department's windows never wait
for another case's PDF.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from apps.documents.models import DocumentKind, IssuedDocument
from apps.documents.services import document_issue, document_render, document_render_pending
from apps.documents.views import document_file_response
from apps.documents.workflow import RenderStatus
from govservice.celery import app as celery_app
from tests.accounts.factories import DepartmentFactory


def test_issuing_fixes_number_and_text_but_leaves_the_pdf_for_after_commit(
    issue, django_capture_on_commit_callbacks
):
    """A16: the number exists at once; the PDF is queued only once the issue commits."""
    with django_capture_on_commit_callbacks() as callbacks:
        document = issue(render=False)
    assert document.number.startswith("榕市监受字〔")
    assert document.render_status == RenderStatus.PENDING
    assert not document.pdf and not document.sha256
    assert len(callbacks) == 1  # the render, handed to the worker after commit


def test_render_stores_the_pdf_once_and_a_second_render_changes_nothing(issue):
    document = issue(render=False)
    first = document_render(document_id=document.pk)
    assert first.is_ready and first.pdf.read(4) == b"%PDF"
    second = document_render(document_id=document.pk)
    assert (second.pdf.name, second.sha256, second.render_attempts) == (
        first.pdf.name,
        first.sha256,
        1,
    )


def test_a_failed_render_is_recorded_stays_pending_and_the_sweep_renders_it_later(
    issue, settings, tmp_path
):
    """Retried if rendering fails: the failure is on the row, and nothing is half-stored."""
    document = issue(render=False)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    good_root = settings.PRIVATE_FILES_ROOT
    settings.PRIVATE_FILES_ROOT = blocker  # storing the file fails
    with pytest.raises(OSError):
        document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.render_status == RenderStatus.PENDING
    assert document.render_attempts == 1 and "Error" in document.render_error
    assert not document.pdf

    settings.PRIVATE_FILES_ROOT = good_root
    assert document_render_pending() == 1
    document.refresh_from_db()
    assert document.is_ready and document.render_error == ""
    assert document_render_pending() == 0  # idempotent


def test_the_sweep_leaves_fresh_documents_to_their_own_task(issue):
    document = issue(render=False)
    assert document_render_pending(older_than=timedelta(minutes=1)) == 0
    IssuedDocument.objects.filter(pk=document.pk).update(
        issued_at=document.issued_at - timedelta(minutes=2)
    )
    assert document_render_pending(older_than=timedelta(minutes=1)) == 1


def test_a_pending_document_answers_a_generating_page_not_a_file(issue, rf):
    response = document_file_response(rf.get("/"), issue(render=False))
    assert response.status_code == 409
    assert response["Retry-After"] == "5"
    assert "生成中" in response.content.decode()


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_the_pdf_after_commit(settings, tmp_path):
    """Commit → on_commit → Redis → worker → PDF stored; nothing rendered before commit."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    department = DepartmentFactory(code="SCJGJ", name="榕城市市场监督管理局", short_name="榕市监")
    celery_app.control.purge()
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ):
        with transaction.atomic():
            document = document_issue(
                kind=DocumentKind.ACCEPTANCE_NOTICE,
                department=department,
                applicant_name="王小明",
                title="受理通知书",
                body="你（单位）提交的申请材料齐全、符合法定形式，决定予以受理。",
                reference="SQ20261129000001",
                actor=None,
            )
            time.sleep(0.5)  # a worker racing the transaction would find nothing to render
        assert IssuedDocument.objects.get(pk=document.pk).render_status == RenderStatus.PENDING

        def rendered() -> bool:
            return IssuedDocument.objects.get(pk=document.pk).is_ready

        assert _wait_for(rendered), "the worker did not render the PDF within 30 s"
    stored = IssuedDocument.objects.get(pk=document.pk)
    assert stored.pdf.read(4) == b"%PDF" and stored.render_attempts == 1
