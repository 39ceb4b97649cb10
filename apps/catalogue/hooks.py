"""Named hooks through which higher apps tell the catalogue what only they know.

The catalogue sits below the apps that record applications; it cannot ask them directly.
Such an app registers a *demand source* here in its ``AppConfig.ready()``, and the
catalogue's :func:`apps.catalogue.tasks.refresh_item_demand` calls every registered source
explicitly (CONVENTIONS: a named hook, not a signal). A test can list what is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

# ``source(since)`` → ``{item_id: applications made for the item since then}``.
DemandSource = Callable[[datetime], Mapping[int, int]]

DEMAND_SOURCES: list[DemandSource] = []


def register_demand_source(source: DemandSource) -> None:
    if source not in DEMAND_SOURCES:
        DEMAND_SOURCES.append(source)
