"""Batch intake shared by the apps that take many items in one request (reviews from hall
devices and the provincial platform, 12345 tickets from channel aggregators).

A client names each batch (``batch_id``); the receipt row, unique per client account and
batch id, is written first in the batch's transaction. A retried batch — the client never
saw the answer — finds the receipt and gets the items stored the first time instead of
storing them twice; the same batch id with other items is refused. Each app keeps its own
receipt table (a concrete subclass of :class:`BatchReceipt`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.common.errors import ApplicationError

# A request carries at most this many items: a burst is many batches, not one huge one.
BATCH_MAX_ITEMS = 200


class BatchIdReusedError(ApplicationError):
    status_code = 409

    def __init__(self) -> None:
        super().__init__(
            _("该批次编号已提交过另一批数据，请换用新的批次编号。"),
            code="batch_id_reused",
            extra={"field": "batch_id"},
        )


class BatchReceipt(models.Model):
    """One batch a client posted, with the ids it stored, in the order of its items."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("提交账号"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    client_batch_id = models.CharField(gettext_lazy("批次编号"), max_length=64)
    digest = models.CharField(max_length=64, editable=False)
    item_ids = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(gettext_lazy("提交时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.client_batch_id} ({len(self.item_ids)})"


Receipt = TypeVar("Receipt", bound=BatchReceipt)


def batch_digest(items: Sequence[Any]) -> str:
    """What a retry must repeat: the items as validated, in order."""
    canonical = json.dumps(list(items), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def batch_claim(
    model: type[Receipt], *, actor: Any, batch_id: str, digest: str
) -> tuple[Receipt, bool]:
    """The receipt of ``batch_id``: a new one (``False``) or the one stored by an earlier
    post of the same batch (``True``: a replay). Call it first inside the batch's
    transaction: a concurrent post of the same batch waits on the unique key until the
    first commits (then replays) or rolls back (then stores)."""
    try:
        with transaction.atomic():
            receipt = model.objects.create(actor=actor, client_batch_id=batch_id, digest=digest)
        return receipt, False
    except IntegrityError:
        stored = model.objects.get(actor=actor, client_batch_id=batch_id)
    if stored.digest != digest:
        raise BatchIdReusedError()
    return stored, True


def batch_record(receipt: BatchReceipt, ids: Sequence[int]) -> None:
    receipt.item_ids = list(ids)
    type(receipt).objects.filter(pk=receipt.pk).update(item_ids=receipt.item_ids)


def check_batch_size(items: Sequence[Any]) -> None:
    if not items:
        raise ApplicationError(
            _("请至少提交一条数据。"), code="batch_empty", extra={"field": "items"}
        )
    if len(items) > BATCH_MAX_ITEMS:
        raise ApplicationError(
            _("每批最多提交%(n)d条。") % {"n": BATCH_MAX_ITEMS},
            code="batch_too_large",
            extra={"field": "items"},
        )
