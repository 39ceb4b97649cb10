"""Caller privacy (DOMAIN H4, A17): an anonymous (保密) caller's identity and number are
seen by the centre only — never by a department, in the console, the API or the admin."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.hotline import services
from apps.hotline.messaging import caller_message_deliver
from apps.hotline.models import CallerMessage
from tests.hotline.factories import call

pytestmark = pytest.mark.django_db

PHONE = "13955556666"
NAME = "匿名张"


@pytest.fixture
def anonymous_ticket(operator, category):
    ticket = services.ticket_take_call(
        actor=operator,
        data=call(category, is_anonymous=True, caller_phone=PHONE, caller_name=NAME),
    )
    return services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages(ticket):
    return [
        reverse("admin:hotline_ticket_change", args=[ticket.pk]),
        reverse("admin:hotline_ticket_queue") + "?tab=todo",
        reverse("admin:hotline_ticket_changelist"),
        reverse("api-hotline-ticket", args=[ticket.pk]),
        reverse("api-hotline-tickets"),
    ]


def test_department_never_sees_an_anonymous_caller(anonymous_ticket, handler):
    client = _client(handler)
    for url in _pages(anonymous_ticket):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert PHONE not in text and PHONE[-4:] not in text and NAME not in text, url
    body = client.get(reverse("api-hotline-ticket", args=[anonymous_ticket.pk])).json()
    assert body["caller_phone"] == "保密" and body["caller_name"] == "保密"


def test_the_centre_sees_the_anonymous_caller(anonymous_ticket, operator):
    client = _client(operator)
    page = client.get(reverse("admin:hotline_ticket_change", args=[anonymous_ticket.pk]))
    assert PHONE in page.content.decode() and NAME in page.content.decode()
    body = client.get(reverse("api-hotline-ticket", args=[anonymous_ticket.pk])).json()
    assert body["caller_phone"] == PHONE


def test_department_sees_a_named_caller_masked_in_lists_in_full_on_the_ticket(
    operator, category, handler
):
    ticket = services.ticket_take_call(actor=operator, data=call(category, caller_phone=PHONE))
    services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)
    client = _client(handler)
    listing = client.get(reverse("admin:hotline_ticket_queue") + "?tab=todo").content.decode()
    assert "139****6666" in listing and PHONE not in listing
    page = client.get(reverse("admin:hotline_ticket_change", args=[ticket.pk])).content.decode()
    assert PHONE in page


def test_other_departments_do_not_see_the_ticket_at_all(anonymous_ticket, other_dept_staff):
    client = _client(other_dept_staff)
    url = reverse("admin:hotline_ticket_change", args=[anonymous_ticket.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("api-hotline-ticket", args=[anonymous_ticket.pk])).status_code == 404


def test_caller_history_is_for_the_centre_only(anonymous_ticket, operator, handler):
    url = reverse("admin:hotline_ticket_caller_history") + f"?phone={PHONE}"
    assert _client(handler).get(url).status_code == 403
    data = _client(operator).get(url).json()
    assert [t["number"] for t in data["tickets"]] == [anonymous_ticket.number]


def test_phone_is_never_logged_by_the_sms_outbox(operator, category, caplog, settings):
    settings.SMS_BACKEND = "apps.notifications.sms.LogSmsBackend"
    ticket = services.ticket_take_call(actor=operator, data=call(category, caller_phone=PHONE))
    message = CallerMessage.objects.get(ticket=ticket)
    with caplog.at_level("INFO"):
        assert caller_message_deliver(message_id=message.pk) == "sent"
    assert PHONE not in caplog.text
    assert caller_message_deliver(message_id=message.pk) == "skipped"
