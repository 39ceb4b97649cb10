"""The synonym list search applies to queries (同义词、俗称), edited in the admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.common.models import BaseModel


class SynonymGroup(BaseModel):
    """Words citizens use for the same thing: 社保 ↔ 社会保险. A query containing any of
    them also finds the items named with the others (both directions)."""

    terms = models.CharField(
        _("同义词"),
        max_length=500,
        help_text=_("两个或以上的词，用逗号分隔，例如：社保,社会保险"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检索同义词")
        verbose_name_plural = _("检索同义词")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms.replace(",", " ↔ ")

    @property
    def term_list(self) -> list[str]:
        return [t for t in self.terms.split(",") if t]
