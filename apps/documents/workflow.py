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


class RenderStatus(models.TextChoices):
    """The PDF is made after the issuing transaction commits, by a worker (not under a lock)."""

    PENDING = "pending", _("生成中")
    READY = "ready", _("已生成")
