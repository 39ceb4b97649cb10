"""Who made a change, for django-simple-history (CONVENTIONS: pass the actor explicitly)."""

from __future__ import annotations

from typing import Any

from django.db import models


def set_history_user(instance: models.Model, user: Any) -> None:
    """Record ``user`` as the author of the next ``save()`` of ``instance``.

    django-simple-history reads the ``_history_user`` attribute of the instance it saves; we
    set it explicitly rather than rely on the request thread-local, which tasks do not have.
    """
    instance._history_user = user  # type: ignore[attr-defined]  # simple-history's documented hook
