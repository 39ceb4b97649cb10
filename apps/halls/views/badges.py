"""The R5 card of a window: who is on duty now, their post and rating, the rating QR."""

from __future__ import annotations

import base64
import io

import qrcode
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import ServiceWindow
from apps.halls import selectors
from apps.reviews.selectors import stats
from apps.reviews.services.events import counter_key


def qr_data_uri(url: str) -> str:
    image = qrcode.make(url, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def window_card_context(request: HttpRequest, window: ServiceWindow) -> dict:
    moment = timezone.now()
    shift = selectors.on_duty(window_ids=[window.pk], at=moment).get(window.pk)
    badge = None
    if shift is not None:
        ratings = stats.staff_rating_for([shift.staff_id], today=timezone.localdate())
        badge = {
            "user": shift.staff,
            "window": window,
            "post": shift.post,
            "figures": ratings.get(shift.staff_id),
            "shift": shift,
        }
    rating_url = request.build_absolute_uri(reverse("reviews:counter", args=[counter_key(window)]))
    return {
        "window": window,
        "badge": badge,
        "window_figures": stats.window_rating_for([window.pk], today=timezone.localdate()).get(
            window.pk
        ),
        "rating_url": rating_url,
        "rating_qr": qr_data_uri(rating_url),
    }
