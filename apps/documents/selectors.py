from __future__ import annotations

from apps.documents.models import IssuedDocument


def document_get_by_token(*, token: str) -> IssuedDocument | None:
    """The public verification look-up: exact token only (DOMAIN A16)."""
    if not token or len(token) > 64:
        return None
    return (
        IssuedDocument.objects.select_related("department").filter(verification_token=token).first()
    )
