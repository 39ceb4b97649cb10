"""Technical listeners only: a catalogue or department change clears the public fragments'
cache version (:mod:`apps.catalogue.public_cache`) and the cached result rows it touches
(:mod:`apps.catalogue.public_rows`). No business logic here."""

from __future__ import annotations

from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.catalogue.public_cache import public_catalogue_changed
from apps.catalogue.public_rows import forget_department_rows, forget_item_rows


def _twice(clear) -> None:
    clear()
    # Again after the commit: a request that read the old rows while the transaction ran
    # may have cached them anew.
    transaction.on_commit(clear)


def _changed(sender, **kwargs) -> None:
    _twice(public_catalogue_changed)


def _m2m_changed(sender, **kwargs) -> None:
    if sender._meta.app_label == "catalogue":
        _changed(sender)


def _item_changed(sender, instance, **kwargs) -> None:
    _twice(partial(forget_item_rows, [instance.pk]))


def _guide_changed(sender, instance, **kwargs) -> None:
    _twice(partial(forget_item_rows, [instance.item_id]))


def _department_changed(sender, instance, **kwargs) -> None:
    _twice(partial(forget_department_rows, instance.pk))


def connect() -> None:
    models = [*apps.get_app_config("catalogue").get_models(), apps.get_model("accounts.Department")]
    # The history rows are written beside the rows they copy: one clear is enough.
    for model in (m for m in models if not m.__name__.startswith("Historical")):
        uid = f"catalogue-public-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="catalogue-public-m2m")
    rows = [
        ("catalogue.ServiceItem", _item_changed),
        ("catalogue.ServiceGuide", _guide_changed),
        ("accounts.Department", _department_changed),
    ]
    for label, receiver in rows:
        model = apps.get_model(label)
        uid = f"catalogue-rows-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
