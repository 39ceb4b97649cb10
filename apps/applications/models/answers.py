"""What the applicant filled in on the item's online form (DOMAIN A3, A17, C5, Q2)."""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.applications.models.cases import Application
from apps.common.models import BaseModel
from apps.common.pii import EncryptedCharField


class ApplicationAnswers(BaseModel):
    """The answers of one application, checked against the form of the guide version the
    application was made under (C5). Stored encrypted: forms ask for ID numbers, phones
    and addresses of the applicant and others (A17)."""

    application = models.OneToOneField(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="answers"
    )
    data = EncryptedCharField(_("填报内容"), blank=True, default="")
    # key → "account" / "company" / "history": where a prefilled answer came from (Q2).
    prefill_sources = models.JSONField(_("预填来源"), default=dict, blank=True)
    declared_at = models.DateTimeField(_("声明确认时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("申请表填报内容")
        verbose_name_plural = _("申请表填报内容")

    def __str__(self) -> str:
        return f"{self.application} 申请表"

    @property
    def values(self) -> dict[str, Any]:
        return json.loads(self.data) if self.data else {}

    @values.setter
    def values(self, answers: dict[str, Any]) -> None:
        self.data = json.dumps(answers, ensure_ascii=False, sort_keys=True)


class ApplicationKeyField(models.Model):
    """One answer the item marks as key, for the staff queue's search. Personal numbers
    are kept as their keyed hash (found by exact number, never readable here)."""

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="key_fields"
    )
    key = models.CharField(_("字段标识"), max_length=40)
    value = models.CharField(_("检索值"), max_length=200)

    class Meta:
        verbose_name = _("办件检索字段")
        verbose_name_plural = _("办件检索字段")
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], name="uniq_app_key_field")
        ]
        indexes = [
            # Prefix search (LIKE 'x%') on Postgres whatever the database collation.
            models.Index(
                fields=["value"], name="app_key_field_value_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.key}"
