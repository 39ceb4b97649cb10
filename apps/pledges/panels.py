"""The pledge route's sections on other apps' pages (read-only, a constant number of
queries each): the offer on the item and apply pages (C12, P4, P5), and the pledge with its
verification on the case pages (P3, A10)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from apps.applications import hooks as application_hooks
from apps.applications.models import Application
from apps.catalogue import hooks as catalogue_hooks
from apps.catalogue.models import ServiceGuide
from apps.pledges import selectors
from apps.pledges.models import Pledge, VerificationTask


def _offer_context(request: HttpRequest, guide: ServiceGuide) -> dict | None:
    # Items not on the pledge list say nothing: the normal route is all there is.
    if not guide.pledge_enabled:
        return None
    offer = selectors.pledge_route_for(guide=guide, user=request.user)
    return {
        "offer": offer,
        "guide": guide,
        "start_url": reverse("pledges:start", args=[guide.item.code]),
        "login_url": reverse("accounts:login"),
    }


def item_panel(request: HttpRequest, guide: ServiceGuide) -> catalogue_hooks.Panel | None:
    context = _offer_context(request, guide)
    return catalogue_hooks.Panel("pledges/_route_panel.html", context) if context else None


def apply_panel(request: HttpRequest, guide: ServiceGuide) -> application_hooks.Panel | None:
    context = _offer_context(request, guide)
    return application_hooks.Panel("pledges/_route_panel.html", context) if context else None


def application_panel(
    request: HttpRequest, application: Application
) -> application_hooks.Panel | None:
    if not application.guide.pledge_enabled:
        return None
    pledge = Pledge.objects.filter(application=application).select_related("document").first()
    if pledge is None:
        return None
    task = (
        VerificationTask.objects.filter(application=application).select_related("inspector").first()
    )
    is_staff = getattr(request.user, "kind", "") == "staff"
    return application_hooks.Panel(
        "pledges/_application_panel.html",
        {
            "pledge": pledge,
            "task": task,
            "is_staff": is_staff,
            "task_admin_url": (
                reverse("admin:pledges_verificationtask_change", args=[task.pk])
                if task and is_staff
                else ""
            ),
        },
    )
