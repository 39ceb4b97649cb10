"""Named extension points of the catalogue's public pages (CONVENTIONS: hooks, not signals).

Apps above the catalogue add sections to an item's guide page without the catalogue
importing them: where the item can be done in person (halls), its rating (reviews), whether
the pledge route is open to the reader (pledges). They register a provider from their
``AppConfig.ready()``; the item view calls every provider explicitly.

* ``item_page_panels``: ``provider(request, guide) -> Panel | None`` — a template and its
  context, rendered in registration order after the guide's own sections. Read-only, a
  constant number of queries each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from apps.catalogue.models import ServiceGuide


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


ItemPanelProvider = Callable[[HttpRequest, ServiceGuide], Panel | None]

item_page_panels: list[ItemPanelProvider] = []


def register(hook: list, function: Callable) -> None:
    """Add ``function`` to ``hook`` once (``ready()`` may run more than once in tests)."""
    if function not in hook:
        hook.append(function)


def item_panels_for(request: HttpRequest, guide: ServiceGuide) -> list[Panel]:
    return [p for p in (provider(request, guide) for provider in item_page_panels) if p]
