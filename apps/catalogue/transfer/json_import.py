"""The import entry point (docs/catalogue-format.md): all or nothing.

Every record is tried in its own savepoint so that *every* bad record is reported with its
position, then the whole transaction is rolled back if anything failed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from apps.accounts.models import User
from apps.catalogue.transfer.records import import_bundle, import_item, import_topic
from apps.catalogue.transfer.report import ImportReport, RecordError
from apps.common.errors import ApplicationError

Locator = Callable[[str, int], str]


def _default_locator(section: str, index: int) -> str:
    return f"{section}[{index}]"


def _run_section(
    data: dict[str, Any],
    section: str,
    handler: Callable[[dict[str, Any], User | None, ImportReport], None],
    *,
    actor: User | None,
    report: ImportReport,
    locate: Locator,
) -> None:
    records = data.get(section) or []
    if not isinstance(records, list):
        report.errors.append(f"{section} 应为列表")
        return
    seen: set[str] = set()
    for index, record in enumerate(records):
        code = record.get("code", "") if isinstance(record, dict) else ""
        where = f"{locate(section, index)} ({code})" if code else locate(section, index)
        if code and code in seen:
            report.errors.append(f"{where} 编码重复")
            continue
        seen.add(code)
        try:
            with transaction.atomic():
                handler(record, actor, report)
        except RecordError as exc:
            report.errors.extend(f"{where} {m}" for m in exc.messages)
        except ApplicationError as exc:
            problems = exc.extra.get("problems") or [exc.message]
            report.errors.extend(f"{where} {p}" for p in problems)
        except ValidationError as exc:
            report.errors.extend(f"{where} {m}" for m in exc.messages)
        except DatabaseError as exc:
            report.errors.append(f"{where} 数据库拒绝保存：{str(exc).splitlines()[0]}")


def catalogue_import(
    data: dict[str, Any], *, actor: User | None = None, locate: Locator | None = None
) -> ImportReport:
    """Import topics, items (with their guides) and bundles from ``data``.

    All or nothing: the report lists every bad record as ``"items[12] (code) reason"`` (or
    the position given by ``locate``), and nothing is changed unless the report is ``ok``.
    """
    report = ImportReport()
    locate = locate or _default_locator
    if not isinstance(data, dict):
        report.errors.append("文件内容应为一个对象（含 topics、items、bundles）")
        return report
    with transaction.atomic():
        for section, handler in (
            ("topics", import_topic),
            ("items", import_item),
            ("bundles", import_bundle),
        ):
            _run_section(data, section, handler, actor=actor, report=report, locate=locate)
        if report.errors:
            transaction.set_rollback(True)
    return report
