"""The import entry point (docs/catalogue-format.md): all or nothing.

Sections run in the order their records refer to each other: departments, topics, items
(with their guides), bundles. Every bad record is reported with its position; if any is,
the whole transaction is rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue.transfer.context import (
    ImportContext,
    Locator,
    default_locator,
    section_records,
)
from apps.catalogue.transfer.departments import import_departments
from apps.catalogue.transfer.items import import_items
from apps.catalogue.transfer.report import ImportReport
from apps.catalogue.transfer.sections import import_bundles, import_topics

SECTIONS: tuple[tuple[str, Callable[[list[Any], ImportContext], None]], ...] = (
    ("departments", import_departments),
    ("topics", import_topics),
    ("items", import_items),
    ("bundles", import_bundles),
)


def catalogue_import(
    data: dict[str, Any], *, actor: User | None = None, locate: Locator | None = None
) -> ImportReport:
    """Import departments, topics, items (with their guides) and bundles from ``data``.

    All or nothing: the report lists every bad record as ``"items[12] (code) reason"`` (or
    the position given by ``locate``), and nothing is changed unless the report is ``ok``.
    When it is, ``report.outcomes`` says for every item of the file whether it is public
    and what it lacks (C5).
    """
    report = ImportReport()
    if not isinstance(data, dict):
        report.errors.append(_("文件内容应为一个对象（含 departments、topics、items、bundles）"))
        return report
    ctx = ImportContext(actor=actor, report=report, locate=locate or default_locator)
    with transaction.atomic():
        for section, handler in SECTIONS:
            handler(section_records(data, section, ctx), ctx)
        if report.errors:
            report.outcomes.clear()
            transaction.set_rollback(True)
    return report
