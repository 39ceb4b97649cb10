"""A fresh clone builds on its own: nothing tracked points outside the repository.

A symbolic link to a folder of one machine (a worktree's virtualenv, say) was once committed
as `.venv`; on a new machine `make install` could not create the environment behind it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)


def _tracked_links() -> list[str]:
    listing = subprocess.run(
        ["git", "ls-files", "--stage", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    links = []
    for entry in filter(None, listing.split("\0")):
        mode, _, path = entry.partition("\t")
        if mode.startswith("120000"):
            links.append(path)
    return links


def test_no_tracked_link_leaves_the_repository():
    escaping = []
    for path in _tracked_links():
        target = (ROOT / path).parent / os.readlink(ROOT / path)
        if not target.resolve().is_relative_to(ROOT.resolve()):
            escaping.append(path)
    assert escaping == []


def test_the_virtualenv_is_not_tracked():
    tracked = subprocess.run(
        ["git", "ls-files", "--", ".venv"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout
    assert tracked == ""
