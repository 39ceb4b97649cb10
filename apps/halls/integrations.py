"""Where the halls app takes part in lower apps' pages, through their named hooks
(CONVENTIONS: hooks, not signals). Registered from :meth:`HallsConfig.ready`.

* ``catalogue.hooks.item_page_panels`` → :func:`item_panel`: where the item can be done in
  person, with the opening hours, 延时/错峰 hours and the next free appointment slot (C9).
* ``applications.hooks.intake_departments`` → :func:`intake_departments`: a comprehensive
  window's staff on duty take in every department's items of the hall (A11).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.catalogue import hooks as catalogue_hooks
from apps.catalogue.models import ServiceGuide
from apps.halls import selectors
from apps.halls.workflow import WindowKind


def item_panel(request: HttpRequest, guide: ServiceGuide) -> catalogue_hooks.Panel | None:
    if not guide.window_available:
        return None
    halls = selectors.halls_for_item(item=guide.item, after=timezone.now())
    return catalogue_hooks.Panel(
        template="halls/_item_panel.html", context={"halls": halls, "item": guide.item}
    )


def intake_departments(actor: User) -> set[int]:
    """A11 一窗受理: staff on duty now at a comprehensive window take in applications for
    every department stationed in that hall (intake only; approval stays with the owning
    department, whose own checks are unchanged)."""
    if actor.kind != User.Kind.STAFF:
        return set()
    windows = selectors.windows_of_staff(staff=actor, at=timezone.now()).filter(
        profile__group__kind=WindowKind.COMPREHENSIVE
    )
    on_duty = selectors.on_duty(window_ids=[w.pk for w in windows], at=timezone.now())
    centers = {
        w.center_id for w in windows if w.pk in on_duty and on_duty[w.pk].staff_id == actor.pk
    }
    if not centers:
        return set()
    return set(Department.objects.filter(service_centers__in=centers).values_list("pk", flat=True))
