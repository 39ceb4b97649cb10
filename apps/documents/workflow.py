"""States of an issued document and the allowed changes (one readable table)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")


ALLOWED_TRANSITIONS: dict[DocumentStatus, frozenset[DocumentStatus]] = {
    DocumentStatus.VALID: frozenset({DocumentStatus.REVOKED}),
    DocumentStatus.REVOKED: frozenset(),
}
