"""Named extension points of the catalogue (CONVENTIONS: hooks, not signals).

Apps above the catalogue tell it what only they know without the catalogue importing them.
They register a function from their ``AppConfig.ready()``; the catalogue calls every
registered function explicitly, in plain sight. A test can list what is registered.

* ``item_page_panels``: ``provider(request, guide) -> Panel | None`` — sections added to an
  item's guide page (where the item can be done in person, its rating, whether the pledge
  route is open to the reader): a template and its context, rendered in registration order
  after the guide's own sections. Read-only, a constant number of queries each.
* ``demand_sources``: ``source(since) -> {item_id: applications made since then}`` — how
  much each item is applied for (the applications app); the nightly
  :func:`apps.catalogue.tasks.refresh_item_demand` sums them for the search's ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest

from apps.catalogue.models import ServiceGuide


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


ItemPanelProvider = Callable[[HttpRequest, ServiceGuide], Panel | None]
DemandSource = Callable[[datetime], Mapping[int, int]]

item_page_panels: list[ItemPanelProvider] = []
demand_sources: list[DemandSource] = []


def register(hook: list, function: Callable) -> None:
    """Add ``function`` to ``hook`` once (``ready()`` may run more than once in tests)."""
    if function not in hook:
        hook.append(function)


def item_panels_for(request: HttpRequest, guide: ServiceGuide) -> list[Panel]:
    return [p for p in (provider(request, guide) for provider in item_page_panels) if p]
