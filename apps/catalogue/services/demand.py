"""How much each item is applied for: the search's tie-breaker among equal matches."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.catalogue import hooks
from apps.catalogue.models import ServiceItem

DEMAND_WINDOW = timedelta(days=365)
_BATCH = 2000


def item_demand_set(*, counts: Mapping[int, int]) -> int:
    """Set ``ServiceItem.demand`` to ``counts`` (0 for items not in it); return how many
    rows changed. Walks the items by primary key in batches and writes only the rows
    whose figure differs, so a second run with the same counts writes nothing.

    ``demand`` is a figure derived from the applications, not a state anyone edits: rows
    are not locked, and a concurrent run simply writes the same figures.
    """
    changed_total = 0
    last_id = 0
    while True:
        rows = list(
            ServiceItem.objects.filter(id__gt=last_id)
            .order_by("id")
            .values_list("id", "demand")[:_BATCH]
        )
        if not rows:
            return changed_total
        last_id = rows[-1][0]
        changed = [
            ServiceItem(id=pk, demand=counts.get(pk, 0))
            for pk, demand in rows
            if counts.get(pk, 0) != demand
        ]
        if changed:
            with transaction.atomic():
                ServiceItem.objects.bulk_update(changed, ["demand"])
            changed_total += len(changed)


def item_demand_refresh() -> int:
    """Ask every registered demand source (apps.catalogue.hooks) for the applications of
    the last year and store the sums; return how many items changed."""
    since = timezone.now() - DEMAND_WINDOW
    counts: dict[int, int] = {}
    for source in hooks.demand_sources:
        for item_id, n in source(since).items():
            counts[item_id] = counts.get(item_id, 0) + n
    return item_demand_set(counts=counts)
