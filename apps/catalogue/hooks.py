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
* ``publication_listeners``: ``listener(guides, bundles) -> None`` — called by the services
  that publish or supersede a guide and publish or withdraw a 一件事, inside their
  transaction, with the rows whose public state just changed (the assistant indexes what
  the public may read). Fast; slow work goes after commit.
* ``home_page_panels``: ``provider(request) -> Panel | None`` — sections added to the home
  page below its search box (the assistant's question box). Read-only, no query or a few.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest

from apps.catalogue.models import Bundle, ServiceGuide


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


ItemPanelProvider = Callable[[HttpRequest, ServiceGuide], Panel | None]
DemandSource = Callable[[datetime], Mapping[int, int]]
PublicationListener = Callable[[Sequence[ServiceGuide], Sequence[Bundle]], None]
HomePanelProvider = Callable[[HttpRequest], Panel | None]

item_page_panels: list[ItemPanelProvider] = []
demand_sources: list[DemandSource] = []
publication_listeners: list[PublicationListener] = []
home_page_panels: list[HomePanelProvider] = []


def register(hook: list, function: Callable) -> None:
    """Add ``function`` to ``hook`` once (``ready()`` may run more than once in tests)."""
    if function not in hook:
        hook.append(function)


def item_panels_for(request: HttpRequest, guide: ServiceGuide) -> list[Panel]:
    return [p for p in (provider(request, guide) for provider in item_page_panels) if p]


def home_panels_for(request: HttpRequest) -> list[Panel]:
    return [p for p in (provider(request) for provider in home_page_panels) if p]


def publication_changed(
    *, guides: Sequence[ServiceGuide] = (), bundles: Sequence[Bundle] = ()
) -> None:
    """Tell every listener which guides and bundles changed their public state."""
    for listener in publication_listeners:
        listener(guides, bundles)
