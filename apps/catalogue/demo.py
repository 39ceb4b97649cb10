"""Demo service catalogue (issue #3): topics, about 160 items with published guides, a few
still in the basic catalogue or in draft (the work list, issue #9), and the 一件事 bundles,
loaded from ``demo_data/catalogue.json`` through the ordinary importer.

The file is in the import format of ``docs/catalogue-format.md``, so it goes through every
rule a real import does (C3, C4, C8, C11, C12, A7a). Running it again changes nothing: the
importer compares each record with what is stored and publishes a new guide version only
when the content differs (C5). The departments come from ``apps.accounts.demo``, which
``manage.py seed_demo`` runs first.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from django.utils.translation import gettext as _

from apps.catalogue.transfer import catalogue_import
from apps.common.errors import ApplicationError

DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "catalogue.json"


@cache
def _raw_text() -> str:
    return DEMO_FILE.read_text(encoding="utf-8")


def demo_catalogue() -> dict[str, Any]:
    """A fresh copy of the demo catalogue in the import format."""
    return json.loads(_raw_text())


def seed_demo(*, stdout: TextIO | None = None) -> None:
    """Import the demo catalogue; safe to run any number of times."""
    report = catalogue_import(demo_catalogue(), actor=None)
    if not report.ok:
        raise ApplicationError(
            _("演示事项目录导入失败：%(summary)s") % {"summary": report.summary()},
            code="demo_catalogue_invalid",
            extra={"problems": report.errors},
        )
    if stdout is not None:
        stdout.write(f"事项目录：{report.summary()}\n")
