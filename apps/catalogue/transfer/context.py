"""What every section of an import shares: the actor, the report, positions, savepoints."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue.transfer.report import ImportReport, RecordError
from apps.common.errors import ApplicationError

Locator = Callable[[str, int], str]
T = TypeVar("T")

# Records read and compared per round of queries: a batch costs a fixed number of queries
# whatever it holds; only the records that change cost more (their service calls).
BATCH_SIZE = 500


def default_locator(section: str, index: int) -> str:
    return f"{section}[{index}]"


@dataclass
class ImportContext:
    actor: User | None
    report: ImportReport
    locate: Locator

    def where(self, section: str, index: int, code: str = "") -> str:
        place = self.locate(section, index)
        return f"{place} ({code})" if code else place

    def refuse(self, where: str, messages: list[str]) -> None:
        self.report.errors.extend(f"{where} {m}" for m in messages)

    def attempt(self, where: str, write: Callable[[], T], *, savepoint: bool = True) -> T | None:
        """Run ``write`` (in its own savepoint unless ``savepoint=False``); report every
        reason it is refused. Only records that change get here: a no-op pays nothing.

        ``savepoint=False`` is for writes made only of service calls: each service is atomic
        on its own, so a refused call leaves the transaction usable, and whatever an earlier
        call of the same record wrote goes when the import rolls back for the error.
        """
        try:
            if not savepoint:
                return write()
            with transaction.atomic():
                return write()
        except RecordError as exc:
            self.refuse(where, exc.messages)
        except ApplicationError as exc:
            self.refuse(where, list(exc.extra.get("problems") or [exc.message]))
        except ValidationError as exc:
            self.refuse(where, list(exc.messages))
        except DatabaseError as exc:
            reason = str(exc).splitlines()[0]
            self.refuse(where, [_("数据库拒绝保存：%(reason)s") % {"reason": reason}])
        return None


def section_records(data: dict[str, Any], section: str, ctx: ImportContext) -> list[Any]:
    records = data.get(section) or []
    if not isinstance(records, list):
        ctx.report.errors.append(_("%(section)s 应为列表") % {"section": section})
        return []
    return records


def record_code(record: Any) -> str:
    return str(record.get("code") or "").strip() if isinstance(record, dict) else ""


def unique_records(
    records: list[Any], section: str, ctx: ImportContext
) -> list[tuple[int, dict[str, Any]]]:
    """``(index, record)`` for the records that are objects with a code seen once."""
    seen: set[str] = set()
    out = []
    for index, record in enumerate(records):
        code = record_code(record)
        where = ctx.where(section, index, code)
        if not isinstance(record, dict):
            ctx.refuse(where, [_("应为对象")])
        elif not code:
            ctx.refuse(where, [_("缺少字段：%(keys)s") % {"keys": "code"}])
        elif code in seen:
            ctx.refuse(where, [_("编码重复")])
        else:
            seen.add(code)
            out.append((index, record))
    return out


def batches(rows: list[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
