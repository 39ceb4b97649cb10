"""The window staff's screen: call the next number, recall, start, skip, transfer, finish
(A13, A11, R1). Every button is one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import ServiceWindow
from apps.common.errors import ApplicationError
from apps.halls import selectors, services
from apps.halls.forms import TransferForm
from apps.halls.models import WindowProfile
from apps.halls.views.badges import qr_data_uri
from apps.reviews.models import ServiceEvent
from apps.reviews.services.events import event_rating_url
from apps.reviews.workflow import EventKind


def _staff_only(request: HttpRequest) -> None:
    if not request.user.has_perm("halls.operate_window"):
        raise Http404


@login_required
@require_GET
def my_windows(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    windows = selectors.windows_of_staff(staff=request.user, at=timezone.now())
    return render(request, "halls/my_windows.html", {"windows": windows})


def _profile(window_id: int) -> WindowProfile:
    return get_object_or_404(
        WindowProfile.objects.select_related("window__center", "group__hall"),
        window_id=window_id,
    )


@login_required
@require_GET
def desk(request: HttpRequest, window_id: int) -> HttpResponse:
    _staff_only(request)
    profile = _profile(window_id)
    window = profile.window
    held = selectors.held_ticket(window=window)
    context = {
        "window": window,
        "profile": profile,
        "held": held,
        "waiting": selectors.waiting_counts(hall=profile.group.hall, day=timezone.localdate()).get(
            profile.group_id, 0
        ),
        "transfer_form": TransferForm(hall=profile.group.hall, exclude=profile.group_id),
        "rating": _last_rating(request),
    }
    return render(request, "halls/desk.html", context)


def _last_rating(request: HttpRequest) -> dict | None:
    event_id = request.session.pop("halls_rating_event", None)
    event = ServiceEvent.objects.filter(pk=event_id, kind=EventKind.HALL_TICKET).first()
    if event is None:
        return None
    url = request.build_absolute_uri(event_rating_url(event))
    return {"url": url, "qr": qr_data_uri(url)}


ACTIONS = {
    "call": services.ticket_call_next,
    "recall": services.ticket_recall,
    "start": services.ticket_start,
    "skip": services.ticket_skip,
    "finish": services.ticket_finish,
}


@login_required
@require_POST
def desk_action(request: HttpRequest, window_id: int, action: str) -> HttpResponse:
    _staff_only(request)
    profile = _profile(window_id)
    window: ServiceWindow = profile.window
    try:
        if action == "transfer":
            form = TransferForm(request.POST, hall=profile.group.hall, exclude=profile.group_id)
            if not form.is_valid():
                raise ApplicationError(_("请选择要转去的窗口。"), code="invalid_group")
            ticket = services.ticket_transfer(
                actor=request.user,
                window=window,
                to_group=form.cleaned_data["group"],
                note=form.cleaned_data["note"],
            )
        elif action in ACTIONS:
            ticket = ACTIONS[action](actor=request.user, window=window)
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("halls:desk", window.pk)
    if action == "call" and ticket is None:
        messages.info(request, _("当前没有等候的号。"))
    elif action == "finish":
        event = ServiceEvent.objects.filter(
            kind=EventKind.HALL_TICKET, reference=str(ticket.pk)
        ).first()
        if event is not None:
            request.session["halls_rating_event"] = event.pk
    return redirect("halls:desk", window.pk)
