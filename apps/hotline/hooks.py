"""Named extension points of the hotline (CONVENTIONS: hooks, not signals).

Apps above the hotline register plain callables here from their ``AppConfig.ready()``; the
hotline calls them explicitly, in plain sight.

* ``article_listeners``: ``listener(article) -> None`` — called by every knowledge-base
  service that writes an article (saved, submitted, published, withdrawn), inside its
  transaction, after the row is saved: the assistant indexes a published article and
  drops one that is not. Fast; slow work goes after commit.
* ``intake_panels``: ``provider(request) -> Panel | None`` — sections added beside the
  operator's intake screen (the assistant's question box). Read-only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from apps.catalogue.hooks import Panel
from apps.hotline.models import KnowledgeArticle

ArticleListener = Callable[[KnowledgeArticle], None]
IntakePanelProvider = Callable[[HttpRequest], Panel | None]

article_listeners: list[ArticleListener] = []
intake_panels: list[IntakePanelProvider] = []


def register(hook: list, function: Callable) -> None:
    """Add ``function`` to ``hook`` once (``ready()`` may run more than once in tests)."""
    if function not in hook:
        hook.append(function)


def article_changed(article: KnowledgeArticle) -> None:
    for listener in article_listeners:
        listener(article)


def intake_panels_for(request: HttpRequest) -> list[Panel]:
    return [p for p in (provider(request) for provider in intake_panels) if p]
