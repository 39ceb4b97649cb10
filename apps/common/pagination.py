from __future__ import annotations

import base64
import binascii
import json

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` rows (issue 16).

    An exact ``COUNT(*)`` of a department's history reads every row of it — at a city's
    volume the most expensive part of a work-queue page. Counting at most ``cap + 1`` rows
    costs a short index range instead; past the cap the page says "more than N" and the
    pages end there (nobody pages through a thousand cases; they search). Pages stay
    ``LIMIT``/``OFFSET`` ranges over the list's index, bounded by the cap.

    ``counted`` is the same list read lean for the count (``qs.values("pk")``) when the
    rows shown select joined columns: the count then reads the list's index alone.
    """

    cap = 1000

    def __init__(self, object_list, per_page, *args, counted: QuerySet | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self._counted_list = counted

    @cached_property
    def capped(self) -> bool:
        return self._counted > self.cap

    @cached_property
    def _counted(self) -> int:
        qs = self.object_list if self._counted_list is None else self._counted_list
        if hasattr(qs, "order_by"):
            return qs.order_by()[: self.cap + 1].count()
        return len(qs)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)


class CappedPagination(StandardPagination):
    """:class:`StandardPagination` with a :class:`CappedPaginator`: ``count`` is exact up to
    1,000 and 1,000 beyond (work queues over a department's whole history).

    Past the cap, and for deep reading at any depth, ``next_cursor`` continues the list by
    keyset (``?cursor=…``, :func:`keyset_page`): each page is an index range from the last
    row shown, never an ``OFFSET``."""

    django_paginator_class = CappedPaginator
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.next_cursor: str | None = None
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor is None:
            rows = super().paginate_queryset(queryset, request, view)
            if rows and (self.page.has_next() or self.page.paginator.capped):
                self.next_cursor = cursor_after(queryset, rows[-1])
            return rows
        self.request = request
        self.keyset_count = self.django_paginator_class(queryset, self.page_size).count
        try:
            rows, self.next_cursor = keyset_page(
                queryset, cursor=cursor, size=self.get_page_size(request) or self.page_size
            )
        except KeysetError:
            raise NotFound(_("分页游标无效。")) from None
        self.page = None
        return rows

    def get_paginated_response(self, data):
        if getattr(self, "page", None) is None:  # a keyset page
            return Response(
                {
                    "count": self.keyset_count,
                    "next": None,
                    "previous": None,
                    "next_cursor": self.next_cursor,
                    "results": data,
                }
            )
        response = super().get_paginated_response(data)
        response.data["next_cursor"] = self.next_cursor
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["next_cursor"] = {
            "type": "string",
            "nullable": True,
            "description": "下一页游标（按键值翻页，可越过 1,000 条上限）",
        }
        return paginated

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "上一页返回的 next_cursor",
                "schema": {"type": "string"},
            },
        ]


def cursor_after(queryset: QuerySet, row) -> str | None:
    """The keyset cursor that continues ``queryset`` after ``row`` (``None``: not keyset-able)."""
    try:
        field, _desc = _keyset_order(queryset)
    except KeysetError:
        return None
    value = getattr(row, field, None)
    return encode_cursor(value, row.pk) if value is not None else None


# --- Keyset pages past the cap --------------------------------------------------------------


class KeysetError(ValueError):
    """A cursor that does not decode, or a list whose order keyset pages cannot follow."""


def _keyset_order(qs: QuerySet) -> tuple[str, bool]:
    """``(sort field, descending)`` of a list ordered by one field and then the id."""
    order = [str(o) for o in qs.query.order_by]
    if len(order) != 2 or order[1].lstrip("-") not in ("id", "pk"):
        raise KeysetError(f"keyset pages need an order of (field, id), not {order}")
    desc = order[0].startswith("-")
    if order[1].startswith("-") != desc:
        raise KeysetError("keyset pages need the field and the id in the same direction")
    return order[0].lstrip("-"), desc


def encode_cursor(value: object, pk: int) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else value
    raw = json.dumps([text, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(qs: QuerySet, field: str, cursor: str) -> tuple[object, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        text, pk = json.loads(raw)
        value = qs.model._meta.get_field(field).to_python(text)
    except (ValueError, TypeError, binascii.Error, ValidationError):
        raise KeysetError("bad cursor") from None
    if value is None or not isinstance(pk, int):
        raise KeysetError("bad cursor")
    return value, pk


def keyset_page(qs: QuerySet, *, cursor: str | None, size: int) -> tuple[list, str | None]:
    """``size`` rows of ``qs`` after ``cursor`` (none: the first rows), and the cursor of the
    next page (``None`` at the end). ``qs`` is ordered by one non-null field and the id in
    the same direction (every work-queue tab is); the page is a range of the list's index
    from the cursor on — ``field >= v AND (field > v OR id > last)`` — so page 5,000 costs
    what page 1 does, where ``OFFSET`` reads every row before it (issue 16)."""
    field, desc = _keyset_order(qs)
    if cursor:
        value, pk = _decode_cursor(qs, field, cursor)
        op = "lt" if desc else "gt"
        qs = qs.filter(
            Q(**{f"{field}__{op}e": value}),
            Q(**{f"{field}__{op}": value}) | Q(**{f"pk__{op}": pk}),
        )
    rows = list(qs[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    last = rows[-1] if rows else None
    value = getattr(last, field, None) if last is not None else None
    return rows, (encode_cursor(value, last.pk) if more and value is not None else None)
