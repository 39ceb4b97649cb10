"""Where the halls app takes part in lower apps' pages, through their named hooks
(CONVENTIONS: hooks, not signals). Registered from :meth:`HallsConfig.ready`.

* ``catalogue.hooks.item_page_panels`` → :func:`item_panel`: where the item can be done in
  person, with the opening hours, 延时/错峰 hours and the next free appointment slot (C9).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from apps.catalogue import hooks as catalogue_hooks
from apps.catalogue.models import ServiceGuide
from apps.halls import selectors


def item_panel(request: HttpRequest, guide: ServiceGuide) -> catalogue_hooks.Panel | None:
    if not guide.window_available:
        return None
    halls = selectors.halls_for_item(item=guide.item, after=timezone.now())
    return catalogue_hooks.Panel(
        template="halls/_item_panel.html", context={"halls": halls, "item": guide.item}
    )
