"""Public hall pages: where to go, booking, the kiosk, a ticket, the call screen, a window's
card (DOMAIN C3, C9, A13, R5). Thin: selectors read, services write, errors become a
Chinese message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import ServiceWindow
from apps.catalogue.models import ServiceItem
from apps.common.errors import ApplicationError
from apps.halls import selectors, services
from apps.halls.forms import KioskForm
from apps.halls.models import Appointment, HallProfile, Ticket, WindowGroup
from apps.halls.rules import rules
from apps.halls.views.badges import window_card_context

TICKET_SALT = "halls.ticket"


def ticket_url(ticket: Ticket) -> str:
    return reverse("halls:ticket", args=[signing.dumps(ticket.pk, salt=TICKET_SALT)])


@require_GET
def hall_list(request: HttpRequest) -> HttpResponse:
    halls = HallProfile.objects.filter(center__is_active=True).select_related("center")
    return render(request, "halls/list.html", {"halls": halls.order_by("center__code")})


def _hall(hall_id: int) -> HallProfile:
    return get_object_or_404(
        HallProfile.objects.select_related("center"), pk=hall_id, center__is_active=True
    )


@require_GET
def hall_detail(request: HttpRequest, hall_id: int) -> HttpResponse:
    """The hall's hours, 延时/错峰 services with their items, windows, and — for an item —
    its free slots to book (C3, C9)."""
    hall = _hall(hall_id)
    groups = list(hall.groups.prefetch_related("items", "windows__window"))
    item = None
    slots = []
    item_id = request.GET.get("item", "")
    if item_id.isdigit():
        item = ServiceItem.objects.filter(pk=int(item_id), is_active=True).first()
        if item is not None:
            slots = selectors.free_slots(item=item, hall=hall, after=timezone.now(), limit=60)
    context = {
        "hall": hall,
        "groups": groups,
        "extra_hours": hall.extra_hours.prefetch_related("items"),
        "item": item,
        "slots": slots,
        "hall_items": ServiceItem.objects.filter(window_groups__hall=hall)
        .distinct()
        .order_by("code"),
    }
    return render(request, "halls/hall.html", context)


@login_required
@require_POST
def book(request: HttpRequest, hall_id: int) -> HttpResponse:
    hall = _hall(hall_id)
    item = get_object_or_404(ServiceItem, pk=_int(request.POST.get("item")))
    try:
        appointment = services.appointment_book(
            citizen=request.user, slot_id=_int(request.POST.get("slot")), item=item
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('halls:hall', args=[hall.pk])}?item={item.pk}")
    messages.success(request, _("预约成功，预约码已发送到您的消息中心和手机。"))
    return redirect("halls:appointment", appointment.code)


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


@login_required
@require_GET
def my_appointments(request: HttpRequest) -> HttpResponse:
    rows = selectors.appointments_of(citizen=request.user)[:50]
    return render(request, "halls/mine.html", {"appointments": rows})


def _own_appointment(request: HttpRequest, code: str) -> Appointment:
    appointment = selectors.appointments_of(citizen=request.user).filter(code=code.upper()).first()
    if appointment is None:
        raise Http404
    return appointment


@login_required
@require_GET
def appointment_detail(request: HttpRequest, code: str) -> HttpResponse:
    context = {"appointment": _own_appointment(request, code), "rules": rules()}
    return render(request, "halls/appointment.html", context)


@login_required
@require_POST
def appointment_cancel(request: HttpRequest, code: str) -> HttpResponse:
    appointment = _own_appointment(request, code)
    try:
        services.appointment_cancel(actor=request.user, appointment_id=appointment.pk)
        messages.success(request, _("预约已取消。"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("halls:appointment", appointment.code)


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, hall_id: int) -> HttpResponse:
    """取号机: a number by appointment code, or 现场取号 for an item or a window group."""
    hall = _hall(hall_id)
    form = KioskForm(request.POST or None, hall=hall)
    if request.method == "POST" and form.is_valid():
        citizen = request.user if request.user.is_authenticated else None
        if citizen is not None and citizen.is_staff:
            citizen = None
        try:
            ticket = _take(hall, form.cleaned_data, citizen)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(ticket_url(ticket))
    return render(request, "halls/kiosk.html", {"hall": hall, "form": form})


def _take(hall: HallProfile, data: dict, citizen) -> Ticket:
    if data.get("code"):
        return services.ticket_take_by_code(
            hall=hall, code=data["code"], green_reason=data.get("green_reason", "")
        )
    return services.ticket_take(
        hall=hall,
        item=data.get("item"),
        group=data.get("group"),
        citizen=citizen,
        green_reason=data.get("green_reason", ""),
    )


@require_GET
def ticket_detail(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ticket_id = signing.loads(token, salt=TICKET_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    ticket = get_object_or_404(
        Ticket.objects.select_related("issued_group", "group", "hall__center", "item", "window"),
        pk=ticket_id,
    )
    context = {"ticket": ticket, "ahead": selectors.ahead_of(ticket)}
    return render(request, "halls/ticket.html", context)


@require_GET
def call_screen(request: HttpRequest, hall_id: int) -> HttpResponse:
    """大屏: numbers and windows, refreshed from :func:`call_feed`, read aloud if it can."""
    hall = _hall(hall_id)
    return render(request, "halls/screen.html", {"hall": hall})


@require_GET
def call_feed(request: HttpRequest, hall_id: int) -> JsonResponse:
    hall = _hall(hall_id)
    today = timezone.localdate()
    calls = [
        {
            "id": t.pk,
            "number": t.display,
            "window": t.window.number if t.window else "",
            "called_at": t.called_at.isoformat(),
            "count": t.call_count,
            "state": t.state,
        }
        for t in selectors.call_board(hall=hall, day=today)
    ]
    waiting = selectors.waiting_counts(hall=hall, day=today)
    groups = [
        {"name": g.name, "letter": g.letter, "waiting": waiting.get(g.pk, 0)}
        for g in WindowGroup.objects.filter(hall=hall).order_by("letter")
    ]
    return JsonResponse({"calls": calls, "groups": groups})


@require_GET
def window_page(request: HttpRequest, window_id: int) -> HttpResponse:
    """A window's public page (R5): the staff on duty with name, post, window number,
    rating and the QR code for rating them."""
    window = get_object_or_404(ServiceWindow.objects.select_related("center"), pk=window_id)
    return render(request, "halls/window.html", window_card_context(request, window))


@require_GET
def desk_card(request: HttpRequest, window_id: int) -> HttpResponse:
    """The printable desk card of the same (R5)."""
    window = get_object_or_404(ServiceWindow.objects.select_related("center"), pk=window_id)
    return render(request, "halls/desk_card.html", window_card_context(request, window))
