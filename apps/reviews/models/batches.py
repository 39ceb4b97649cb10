"""Batches of reviews posted at once by hall evaluator devices and the provincial platform
(the receipt that makes a retried batch a no-op)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.common.batches import BatchReceipt


class ReviewBatch(BatchReceipt):
    class Meta:
        verbose_name = _("评价批次")
        verbose_name_plural = _("评价批次")
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "client_batch_id"], name="uniq_review_batch_client_id"
            )
        ]
