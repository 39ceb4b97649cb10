"""The written, dated, sealed receipts and decisions of an application (DOMAIN A4, A5, A9).

Called inside the service's transaction, so a receipt exists if and only if its outcome
does. The PDF itself is made by :func:`apps.documents.services.document_issue`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from apps.accounts.models import User
from apps.applications.models import Application, ApplicationDocument, TimelineEvent
from apps.documents.models import DocumentKind
from apps.documents.services import document_issue

Kind = DocumentKind


def issue(
    application: Application,
    *,
    kind: str,
    body: str,
    actor: User | None,
    title: str = "",
    extra: dict[str, Any] | None = None,
    events: Sequence[TimelineEvent] = (),
) -> ApplicationDocument:
    """Issue the receipt, link it to ``application`` and put it on the timeline. ``events``:
    timeline rows of the same change not written yet (``_base.transition(write_event=False)``),
    written before the receipt's own row."""
    document = document_issue(
        kind=kind,
        department=application.department,
        applicant_name=application.applicant_name,
        title=title or f"{DocumentKind(kind).label}（{application.item.name}）",
        body=body,
        reference=application.number,
        actor=actor,
        extra=extra,
    )
    link = ApplicationDocument.objects.create(application=application, document=document, kind=kind)
    # The change's own rows first (the transition that issued the receipt), in one INSERT
    # with the receipt's (issue 16).
    TimelineEvent.objects.bulk_create(
        [
            *events,
            TimelineEvent(
                application=application,
                kind=TimelineEvent.Kind.DOCUMENT_ISSUED,
                actor=actor,
                reason=DocumentKind(kind).label,
                payload={"document_id": document.pk, "kind": kind, "number": document.number},
            ),
        ]
    )
    return link
