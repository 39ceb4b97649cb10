"""Named extension points of the applications app (CONVENTIONS: hooks, not signals).

The apps above this one (tolerance, pledges, reviews, halls …) must sometimes take part in
what happens to a case: the tolerance app knows whether a result may be released yet, the
reviews app invites a rating when a case ends. They register plain callables into the lists
below from their ``AppConfig.ready()``; the services and views of this app call them
explicitly, where a reader of the service sees the call. ``registered()`` lists what is in
place (tests assert on it).

Rules for what is registered:

* ``result_release_guards``: ``guard(application) -> str | None``. Return ``None`` when the
  result (decision, licence) may be released to the applicant, or a short Chinese sentence
  saying why it is withheld ("结果待容缺材料补齐后发放"). Read-only; called by views and
  selectors, never inside a lock.
* ``case_closed_listeners``: ``listener(application, actor) -> None``. Called once by
  :func:`apps.applications.services.closing.close_case`, inside the transaction that ends the
  case, after the state and the documents are written. May write the listener's own rows
  and queue notifications (``notify`` defers delivery until commit); must not do slow work.
* ``applicant_panels`` / ``staff_panels``: ``provider(request, application) -> Panel | None``.
  Extra sections of the applicant's detail page and the staff application page (a template
  and its context), in registration order. Read-only; a constant number of queries each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from apps.accounts.models import User
from apps.applications.models import Application
from apps.documents.models import DocumentKind

# The documents that carry the result itself: what a release guard holds back (T1).
RESULT_DOCUMENT_KINDS = frozenset({DocumentKind.APPROVAL_DECISION, DocumentKind.LICENCE})


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


ResultReleaseGuard = Callable[[Application], str | None]
CaseClosedListener = Callable[[Application, User | None], None]
PanelProvider = Callable[[HttpRequest, Application], Panel | None]

result_release_guards: list[ResultReleaseGuard] = []
case_closed_listeners: list[CaseClosedListener] = []
applicant_panels: list[PanelProvider] = []
staff_panels: list[PanelProvider] = []


def register(hook: list, function: Callable) -> None:
    """Add ``function`` to ``hook`` once (``ready()`` may run more than once in tests)."""
    if function not in hook:
        hook.append(function)


def result_withheld_reason(application: Application) -> str | None:
    """Why the result of ``application`` may not be released yet, or ``None``."""
    for guard in result_release_guards:
        reason = guard(application)
        if reason:
            return reason
    return None


def panels_for(
    providers: list[PanelProvider], request: HttpRequest, application: Application
) -> list[Panel]:
    return [p for p in (provider(request, application) for provider in providers) if p]


def registered() -> dict[str, list[str]]:
    """What each hook holds, by qualified name."""
    hooks = {
        "result_release_guards": result_release_guards,
        "case_closed_listeners": case_closed_listeners,
        "applicant_panels": applicant_panels,
        "staff_panels": staff_panels,
    }
    return {
        name: [f"{f.__module__}.{f.__qualname__}" for f in functions]
        for name, functions in hooks.items()
    }
