"""Technical listeners only: a change to a window group or to the items it lists clears the
cached set of items some group lists (:func:`apps.halls.selectors.served_item_ids`). No
business logic here."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.halls.models import WindowGroup
from apps.halls.selectors import served_items_changed


def _changed(sender, **kwargs) -> None:
    served_items_changed()
    # Again after the commit: a request that read the old rows while the transaction ran
    # may have cached them.
    transaction.on_commit(served_items_changed)


def connect() -> None:
    post_save.connect(_changed, sender=WindowGroup, dispatch_uid="halls-served-items-save")
    post_delete.connect(_changed, sender=WindowGroup, dispatch_uid="halls-served-items-delete")
    m2m_changed.connect(
        _changed, sender=WindowGroup.items.through, dispatch_uid="halls-served-items-m2m"
    )
