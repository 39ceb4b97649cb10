"""The citizens' pages: web submission (logged in or with an SMS-verified phone, H4) and the
progress look-up by number and phone without an account (H7)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apps.common.errors import ApplicationError
from apps.hotline import services
from apps.hotline.models import CallerMessage, PhoneVerification, Ticket
from apps.hotline.workflow import Channel
from tests.hotline.factories import call

pytestmark = pytest.mark.django_db

PHONE = "13966667777"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _form(category, **overrides):
    data = {
        "step": "submit",
        "ticket_type": "help",
        "category": category.pk,
        "district": "台江区",
        "address": "江滨路2号",
        "content": "路灯坏了一周。",
    }
    data.update(overrides)
    return data


def _code_sent_to(phone: str) -> str:
    message = CallerMessage.objects.filter(dedupe_key__startswith="hotline-code:").latest("id")
    assert message.phone == phone
    return re.search(r"(\d{6})", message.text).group(1)


def test_logged_in_citizen_submits(citizen, category):
    client = Client()
    client.force_login(citizen)
    response = client.post(reverse("hotline:submit"), _form(category))
    ticket = Ticket.objects.get()
    assert response.status_code == 200 and ticket.number in response.content.decode()
    assert ticket.channel == Channel.WEB and ticket.citizen == citizen
    assert ticket.caller_phone == citizen.phone


def test_anonymous_visitor_must_verify_a_phone_first(category):
    client = Client()
    page = client.get(reverse("hotline:submit"))
    assert "获取验证码" in page.content.decode()
    client.post(reverse("hotline:submit"), _form(category))
    assert not Ticket.objects.exists()


def test_sms_code_verifies_the_phone_and_the_ticket_uses_it(category):
    client = Client()
    url = reverse("hotline:submit")
    client.post(url, {"step": "send_code", "phone": PHONE})
    code = _code_sent_to(PHONE)
    other = "000000" if code != "000000" else "111111"
    wrong = client.post(url, {"step": "verify", "phone": PHONE, "code": other})
    assert "验证码不正确" in wrong.content.decode()
    client.post(url, {"step": "verify", "phone": PHONE, "code": code})
    client.post(url, _form(category))
    ticket = Ticket.objects.get()
    assert ticket.caller_phone == PHONE and ticket.citizen is None
    # The session holds the number encrypted, never in clear.
    assert PHONE not in str(dict(client.session))


def test_codes_are_rate_limited_and_attempts_bounded(settings, category):
    settings.HOTLINE_CODE_MAX_SENDS_PER_HOUR = 2
    settings.HOTLINE_CODE_MAX_ATTEMPTS = 2
    services.phone_code_send(phone=PHONE)
    services.phone_code_send(phone=PHONE)
    with pytest.raises(ApplicationError) as exc:
        services.phone_code_send(phone=PHONE)
    assert exc.value.code == "too_many_codes"
    for _ in range(2):
        with pytest.raises(ApplicationError):
            services.phone_code_verify(phone=PHONE, code="abcdef")
    code = _code_sent_to(PHONE)
    with pytest.raises(ApplicationError) as locked:
        services.phone_code_verify(phone=PHONE, code=code)
    assert locked.value.code == "code_locked"
    assert PhoneVerification.objects.filter(verified_at__isnull=False).count() == 0


def test_track_by_number_and_phone(operator, category):
    """H7: the caller sees the progress; a wrong phone gets the same answer as a wrong number."""
    ticket = services.ticket_take_call(actor=operator, data=call(category, caller_phone=PHONE))
    services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)
    client = Client()
    url = reverse("hotline:track")
    page = client.post(url, {"number": ticket.number, "phone": PHONE}).content.decode()
    assert "待签收" in page and "派单" in page
    assert "退单" not in page  # internal steps stay internal
    wrong_phone = client.post(url, {"number": ticket.number, "phone": "13900000000"})
    wrong_number = client.post(url, {"number": "20990101000001", "phone": PHONE})
    for response in (wrong_phone, wrong_number):
        assert "未找到与该编号和手机号码相符的工单" in response.content.decode()
    assert client.post(url, {"number": "1\x00", "phone": PHONE}).status_code == 200


def test_track_is_rate_limited(settings, operator, category):
    settings.HOTLINE_TRACK_MAX_PER_HOUR = 2
    client = Client()
    url = reverse("hotline:track")
    for _ in range(2):
        client.post(url, {"number": "x", "phone": PHONE})
    response = client.post(url, {"number": "x", "phone": PHONE})
    assert "查询过于频繁" in response.content.decode()


def test_merged_ticket_shows_the_main_ticket(operator, category):
    main = services.ticket_take_call(actor=operator, data=call(category))
    dup = services.ticket_take_call(actor=operator, data=call(category, caller_phone=PHONE))
    services.ticket_merge(ticket_id=dup.pk, main_id=main.pk, actor=operator)
    page = Client().post(reverse("hotline:track"), {"number": dup.number, "phone": PHONE})
    assert main.number in page.content.decode()
