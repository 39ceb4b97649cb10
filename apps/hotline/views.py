"""The citizens' hotline pages at /hotline/: submit on the web (logged in, or with a
phone verified by an SMS code) and look up progress by number and phone (H4, H7)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.accounts.models import User
from apps.common import pii
from apps.common.errors import ApplicationError
from apps.hotline import selectors, services
from apps.hotline.forms import CodeForm, PhoneForm, SubmitForm, TrackForm
from apps.hotline.services import TicketInput

SESSION_PHONE = "hotline_verified_phone"


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "hotline/index.html")


def _verified_phone(request: HttpRequest) -> str:
    """The phone number this session proved it owns, if still fresh (stored encrypted)."""
    stored = request.session.get(SESSION_PHONE)
    if not stored or stored.get("until", 0) < time.time():
        return ""
    return pii.decrypt(stored["phone"])


def _remember_phone(request: HttpRequest, phone: str) -> None:
    request.session[SESSION_PHONE] = {
        "phone": pii.encrypt(phone),
        "until": time.time() + settings.HOTLINE_VERIFIED_PHONE_MINUTES * 60,
    }


def _citizen(request: HttpRequest) -> User | None:
    user = request.user
    if user.is_authenticated and user.kind != User.Kind.STAFF:
        return user
    return None


def _phone_step(request: HttpRequest) -> HttpResponse | None:
    """Send or check the SMS code; ``None`` when the request is not about the code."""
    step = request.POST.get("step")
    if step == "send_code":
        form = PhoneForm(request.POST)
        if form.is_valid():
            try:
                services.phone_code_send(phone=form.cleaned_data["phone"])
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("验证码已发送，请查收短信。"))
        else:
            messages.error(request, _("请填写11位手机号码。"))
        return render(request, "hotline/verify.html", {"code_form": CodeForm(request.POST or None)})
    if step == "verify":
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                phone = services.phone_code_verify(
                    phone=form.cleaned_data["phone"], code=form.cleaned_data["code"]
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                _remember_phone(request, phone)
                return HttpResponseRedirect(reverse("hotline:submit"))
        return render(request, "hotline/verify.html", {"code_form": form})
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    citizen = _citizen(request)
    verified = _verified_phone(request)
    if request.method == "POST":
        answer = _phone_step(request)
        if answer is not None:
            return answer
    if citizen is None and not verified:
        return render(request, "hotline/verify.html", {"code_form": CodeForm()})
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = TicketInput(
            ticket_type=d["ticket_type"],
            category_id=d["category"].pk,
            content=d["content"],
            caller_name=d.get("caller_name") or "",
            is_anonymous=bool(d.get("is_anonymous")),
            address=d.get("address") or "",
            district=d.get("district") or "",
        )
        try:
            ticket = services.ticket_submit_online(
                actor=citizen, data=data, verified_phone="" if citizen else verified
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return render(request, "hotline/submitted.html", {"ticket": ticket})
    return render(
        request,
        "hotline/submit.html",
        {"form": form, "phone": pii.mask_phone(citizen.phone if citizen else verified)},
    )


def _client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return f"hotline-track:{pii.keyed_hash(address)[:32]}"


def _rate_limited(request: HttpRequest) -> bool:
    key = _client_key(request)
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > settings.HOTLINE_TRACK_MAX_PER_HOUR


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """H7: progress by ticket number and phone, without an account. A wrong number and a
    wrong phone get the same answer, and attempts are limited per address."""
    form = TrackForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request):
            messages.error(request, _("查询过于频繁，请稍后再试。"))
        else:
            ticket = selectors.ticket_track(
                number=form.cleaned_data["number"], phone=form.cleaned_data["phone"]
            )
            if ticket is None:
                messages.error(request, _("未找到与该编号和手机号码相符的工单。"))
            else:
                main = ticket.merged_into
                context.update(
                    ticket=ticket,
                    main=main,
                    timeline=selectors.ticket_timeline(ticket=ticket, for_caller=True),
                    main_timeline=(
                        selectors.ticket_timeline(ticket=main, for_caller=True) if main else []
                    ),
                )
    return render(request, "hotline/track.html", context)
