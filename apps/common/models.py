from __future__ import annotations

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _


class ChoiceDisplay:
    """``get_<field>_display()`` that translates only the label it shows (issue 16).

    Django's own builds a dict of the field's choices by hashing each ``(value, label)``
    pair, and hashing a lazy label translates it: every call translated every choice (a
    timeline of ten rows with three state columns: hundreds of translations per page).
    Here the dict is keyed by the values alone; the label found is translated as Django's
    is, so the text is the same."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        labels = {make_hashable(choice): label for choice, label in field.flatchoices}
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class BaseModel(ChoiceDisplay, models.Model):
    """Every domain row knows when it was created and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True
