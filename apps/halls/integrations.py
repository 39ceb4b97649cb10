"""Where the halls app takes part in lower apps' pages, through their named hooks
(CONVENTIONS: hooks, not signals). Registered from :meth:`HallsConfig.ready`.

* ``catalogue.hooks.item_page_panels`` → :func:`item_panel`: where the item can be done in
  person, with the opening hours, 延时/错峰 hours and the next free appointment slot (C9).
* ``applications.hooks.intake_departments`` → :func:`intake_departments`: a comprehensive
  window's staff on duty take in every department's items of the hall (A11), and so do the
  staff of a 帮办代办 window, who apply for the applicant (A13);
* ``applications.hooks.applicant_panels`` / ``staff_panels`` → :func:`assistance_applicant_panel`
  / :func:`assistance_staff_panel`: "本件由…窗口…帮办" with the reason (A13), and the form
  that records it; ``staff_page_flags`` → :func:`staff_page_flags`: whether the case has an
  assistance record, read with the application.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.applications import hooks as application_hooks
from apps.applications.models import Application, Channel
from apps.catalogue import hooks as catalogue_hooks
from apps.catalogue.models import ServiceGuide
from apps.halls import selectors
from apps.halls.forms import AssistanceForm
from apps.halls.models import Assistance
from apps.halls.workflow import WindowKind

# Windows whose staff on duty take in any department's items of their hall (intake only).
INTAKE_WINDOW_KINDS = (WindowKind.COMPREHENSIVE, WindowKind.ASSISTED)


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
    department, whose own checks are unchanged); so do the staff of a 帮办代办 window, who
    apply on the applicant's behalf (A13)."""
    if actor.kind != User.Kind.STAFF:
        return set()
    windows = selectors.windows_of_staff(staff=actor, at=timezone.now()).filter(
        profile__group__kind__in=INTAKE_WINDOW_KINDS
    )
    on_duty = selectors.on_duty(window_ids=[w.pk for w in windows], at=timezone.now())
    centers = {
        w.center_id for w in windows if w.pk in on_duty and on_duty[w.pk].staff_id == actor.pk
    }
    if not centers:
        return set()
    return set(Department.objects.filter(service_centers__in=centers).values_list("pk", flat=True))


def staff_page_flags() -> dict:
    return {"halls_has_assistance": Assistance}


def _assistance(application: Application) -> Assistance | None:
    if not application_hooks.page_flag(application, "halls_has_assistance"):
        return None
    return (
        Assistance.objects.select_related("window__center", "staff")
        .filter(application=application)
        .first()
    )


def assistance_applicant_panel(
    request: HttpRequest, application: Application
) -> application_hooks.Panel | None:
    """A13: the applicant sees who helped them, at which window, and why (one query). Only
    an application made at a window can have the record (``assistance_record``), and its
    channel never changes: an online one is not asked."""
    if application.channel not in (Channel.WINDOW, Channel.ASSISTED):
        return None
    assistance = _assistance(application)
    if assistance is None:
        return None
    return application_hooks.Panel(
        template="halls/_assistance_panel.html",
        context={"assistance": assistance, "application": application},
    )


def assistance_staff_panel(
    request: HttpRequest, application: Application
) -> application_hooks.Panel | None:
    """A13 on the staff page: the record, or — for an application made at the window — the
    form that records the reason and the signed authorisation."""
    assistance = _assistance(application)
    can_record = (
        assistance is None
        and application.channel in (Channel.WINDOW, Channel.ASSISTED)
        and request.user.pk in (application.handled_by_id, application.assisted_by_id)
    )
    if assistance is None and not can_record:
        return None
    return application_hooks.Panel(
        template="halls/admin/_assistance_panel.html",
        context={
            "assistance": assistance,
            "application": application,
            "form": AssistanceForm() if can_record else None,
        },
    )
