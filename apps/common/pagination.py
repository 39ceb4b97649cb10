from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination


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
    """

    cap = 1000

    @cached_property
    def capped(self) -> bool:
        return self._counted > self.cap

    @cached_property
    def _counted(self) -> int:
        qs = self.object_list
        if hasattr(qs, "order_by"):
            return qs.order_by()[: self.cap + 1].count()
        return len(qs)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)


class CappedPagination(StandardPagination):
    """:class:`StandardPagination` with a :class:`CappedPaginator`: ``count`` is exact up to
    1,000 and 1,000 beyond (work queues over a department's whole history)."""

    django_paginator_class = CappedPaginator
