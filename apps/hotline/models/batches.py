"""Batches of tickets posted at once by channel aggregators (web, app, WeChat): the
receipt that makes a retried batch a no-op."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.common.batches import BatchReceipt


class TicketBatch(BatchReceipt):
    class Meta:
        verbose_name = _("工单批次")
        verbose_name_plural = _("工单批次")
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "client_batch_id"], name="uniq_ticket_batch_client_id"
            )
        ]
