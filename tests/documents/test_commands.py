from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction


def test_sweep_removes_files_of_rolled_back_issues_only(issue, private_root):
    kept = issue()
    with pytest.raises(RuntimeError), transaction.atomic():
        issue()
        raise RuntimeError("caller rolled back")
    files = sorted((private_root / "documents").rglob("*.pdf"))
    assert len(files) == 2
    old = time.time() - 2 * 3600
    for path in files:
        os.utime(path, (old, old))

    call_command("documents_sweep_files")

    assert sorted((private_root / "documents").rglob("*.pdf")) == [Path(kept.pdf.path)]


def test_the_nightly_task_sweeps_and_a_second_run_finds_nothing(issue, private_root):
    from apps.documents.tasks import sweep_unreferenced_document_files

    with pytest.raises(RuntimeError), transaction.atomic():
        issue()
        raise RuntimeError("caller rolled back")
    for path in (private_root / "documents").rglob("*.pdf"):
        old = time.time() - 2 * 3600
        os.utime(path, (old, old))

    assert sweep_unreferenced_document_files() == 1
    assert sweep_unreferenced_document_files() == 0
