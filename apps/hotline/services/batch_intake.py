"""Tickets taken in batches (DOMAIN H4, H5, H9): channel aggregators (web, app, WeChat)
and the operators' desks send the requests they collected many at a time.

Every item goes through the rules of one ticket's intake — who may take it on its
channel, the type, urgency and active subcategory it is routed by, the caller's number,
the district, the place — and is flagged as a likely duplicate (并单) exactly as one ticket
at a time would be: against the tickets already open and against the batch's earlier
items. The batch is all or nothing: the first item that breaks a rule refuses it with its
index and field, and nothing is saved. What changes is how it is written: the categories
and the duplicate candidates read once for the batch, the numbers drawn from the ticket
sequence before one bulk insert (with its history rows), the timeline rows and the callers'
SMS outbox rows bulk-inserted, and the SMS queued after commit in one go.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from apps.accounts.models import User
from apps.common.batches import batch_claim, batch_digest, batch_record, check_batch_size
from apps.common.errors import ApplicationError, errors_at_item, item_error
from apps.hotline import messaging
from apps.hotline.models import CallerMessage, Category, Ticket, TicketBatch, TicketEvent
from apps.hotline.models.tickets import caller_phone_hash
from apps.hotline.services import _base
from apps.hotline.services.intake import _MERGEABLE, TicketInput, _clean, _create
from apps.hotline.services.numbering import number_after_insert, number_at_insert
from apps.hotline.workflow import Channel

# Who may take a ticket on each channel the batch accepts (as one ticket's intake).
CHANNEL_PERMISSIONS: dict[str, str] = {
    Channel.PHONE: _base.CENTRE_PERMISSION,
    Channel.WECHAT: "hotline.submit_via_channel",
    Channel.APP: "hotline.submit_via_channel",
}


# The field an intake error is about, for the batch's error (one ticket's error names none).
CODE_FIELDS = {
    "content_required": "content",
    "invalid_character": "content",
    "invalid_type": "ticket_type",
    "invalid_urgency": "urgency",
    "unknown_category": "category_id",
    "unknown_district": "district",
    "invalid_phone": "caller_phone",
    "phone_required": "caller_phone",
}


@dataclass
class ChannelTicket:
    """One request of a batch and the channel it came in on."""

    channel: str
    data: TicketInput


@dataclass
class TicketBatchResult:
    tickets: list[Ticket]
    replayed: bool  # the batch id was stored before: these are the tickets it stored


def ticket_intake_batch(
    *, actor: User, items: Sequence[ChannelTicket], batch_id: str = ""
) -> TicketBatchResult:
    """Take many requests at once (H4), each as :func:`ticket_take_call` (phone) or
    :func:`ticket_submit_via_channel` (WeChat, app) would, all or nothing. Each caller is
    sent the number (H5) after commit. ``batch_id`` makes a retry safe: the same batch
    posted again returns the tickets stored the first time and stores nothing."""
    check_batch_size(items)
    _check_channels(actor, items)
    categories = _categories(items)
    values = []
    for index, item in enumerate(items):
        with errors_at_item(index, fields_by_code=CODE_FIELDS):
            values.append(_clean(item.data, phone_required=True, categories=categories))
    with transaction.atomic():
        receipt = None
        if batch_id:
            receipt, replayed = batch_claim(
                TicketBatch, actor=actor, batch_id=batch_id, digest=_digest(items)
            )
            if replayed:
                stored = Ticket.objects.in_bulk(receipt.item_ids)
                return TicketBatchResult([stored[pk] for pk in receipt.item_ids], True)
        if connection.vendor == "postgresql":
            tickets = _write(actor, items, values)
        else:  # no sequence to number from (SQLite in development): one at a time
            tickets = [_create(item.data, channel=item.channel, actor=actor) for item in items]
        if receipt is not None:
            batch_record(receipt, [ticket.pk for ticket in tickets])
    return TicketBatchResult(tickets, False)


def _digest(items: Sequence[ChannelTicket]) -> str:
    return batch_digest([[item.channel, sorted(vars(item.data).items())] for item in items])


def _check_channels(actor: User, items: Sequence[ChannelTicket]) -> None:
    for channel in dict.fromkeys(item.channel for item in items):
        permission = CHANNEL_PERMISSIONS.get(channel)
        if permission is None:
            index = next(i for i, item in enumerate(items) if item.channel == channel)
            error = ApplicationError(_("渠道无效。"), code="invalid_channel")
            raise item_error(index, error, field="channel")
        _base.check_centre(actor, permission)


def _categories(items: Sequence[ChannelTicket]) -> dict[int, Category]:
    """The active subcategories the batch names, read once (routing, H1, H9)."""
    ids = set()
    for item in items:
        try:
            ids.add(int(str(item.data.category_id)))
        except (TypeError, ValueError):
            continue  # refused with its index by _clean
    active = Category.objects.filter(pk__in=ids, is_active=True, parent__isnull=False)
    return {category.pk: category for category in active}


def _write(actor: User, items: Sequence[ChannelTicket], values: list[dict]) -> list[Ticket]:
    now = _base.now()
    tickets = [
        Ticket(
            channel=item.channel,
            operator=actor if item.channel == Channel.PHONE else None,
            caller_phone_hash=caller_phone_hash(value["caller_phone"]),
            **value,
        )
        for item, value in zip(items, values, strict=True)
    ]
    number_at_insert(tickets)
    duplicates = _duplicates(tickets, now)
    for ticket, duplicate in zip(tickets, duplicates, strict=True):
        ticket.possible_duplicate_of = duplicate
    bulk_create_with_history(tickets, Ticket, default_user=actor)
    for ticket in tickets:
        number_after_insert(ticket)  # a no-op unless midnight passed since the numbers
    events = []
    for ticket, duplicate in zip(tickets, duplicates, strict=True):
        events.append(
            TicketEvent(
                ticket=ticket,
                kind=TicketEvent.Kind.CREATED,
                title=_("受理登记"),
                actor=actor,
                payload={"channel": ticket.channel},
                to_state=ticket.state,
            )
        )
        if duplicate is not None:
            events.append(
                TicketEvent(
                    ticket=ticket,
                    kind=TicketEvent.Kind.DUPLICATE_FLAGGED,
                    title=_("疑似重复工单"),
                    reason=_("与工单 %(number)s 疑似重复。") % {"number": duplicate.number},
                    payload={"duplicate_of": duplicate.pk},
                    visible_to_caller=False,
                )
            )
    TicketEvent.objects.bulk_create(events)
    _tell_callers(tickets)
    return tickets


def _duplicates(tickets: list[Ticket], now: datetime.datetime) -> list[Ticket | None]:
    """H9 并单 as :func:`~apps.hotline.services.intake.likely_duplicate` finds it for each
    ticket in turn: the oldest open ticket from the same caller or about the same place and
    category — one query for the stored ones (all older than the batch), then the batch's
    own earlier items."""
    since = now - datetime.timedelta(days=settings.HOTLINE_DUPLICATE_WINDOW_DAYS)
    # No default ordering inside the UNION's parts (SQLite refuses an ORDER BY there).
    recent = (
        Ticket.objects.filter(created_at__gte=since, state__in=_MERGEABLE)
        .order_by()
        .only(
            "id", "number", "created_at", "caller_phone_hash", "category_id", "district", "address"
        )
    )
    hashes = {t.caller_phone_hash for t in tickets if t.caller_phone_hash}
    places = {_place(t) for t in tickets if t.address}
    queries = []
    if hashes:
        queries.append(recent.filter(caller_phone_hash__in=hashes))
    if places:
        queries.append(
            recent.filter(
                category_id__in={p[0] for p in places},
                district__in={p[1] for p in places},
                address__in={p[2] for p in places},
            )
        )
    stored_by_caller: dict[str, Ticket] = {}
    stored_by_place: dict[tuple, Ticket] = {}
    if queries:
        union = queries[0].union(*queries[1:]) if len(queries) > 1 else queries[0]
        for row in union.order_by("created_at", "id"):
            if row.caller_phone_hash in hashes:
                stored_by_caller.setdefault(row.caller_phone_hash, row)
            if row.address and _place(row) in places:
                stored_by_place.setdefault(_place(row), row)
    batch_by_caller: dict[str, int] = {}
    batch_by_place: dict[tuple, int] = {}
    found: list[Ticket | None] = []
    for index, ticket in enumerate(tickets):
        caller, place = ticket.caller_phone_hash, _place(ticket) if ticket.address else None
        by_place = stored_by_place.get(place) if place is not None else None
        stored = [t for t in (stored_by_caller.get(caller), by_place) if t is not None]
        if stored:
            found.append(min(stored, key=lambda t: (t.created_at, t.pk)))
        else:
            first_by_place = batch_by_place.get(place) if place is not None else None
            earlier = [i for i in (batch_by_caller.get(caller), first_by_place) if i is not None]
            found.append(tickets[min(earlier)] if earlier else None)
        if caller:
            batch_by_caller.setdefault(caller, index)
        if place is not None:
            batch_by_place.setdefault(place, index)
    return found


def _place(ticket: Ticket) -> tuple:
    return (ticket.category_id, ticket.district, ticket.address)


def _tell_callers(tickets: list[Ticket]) -> None:
    """H5: each caller is sent the number, as one ticket's intake does
    (:func:`~apps.hotline.services._base.tell_caller`): the outbox rows now, all queued on
    the broker after commit in one go (a broker outage leaves them to the sweep)."""
    title = _("您的诉求已受理")
    messages = CallerMessage.objects.bulk_create(
        [
            CallerMessage(
                phone=ticket.caller_phone,
                text=f"{title}："
                + _("工单编号 %(number)s，可凭编号和手机号码查询办理进度。")
                % {"number": ticket.number},
                dedupe_key=f"hotline:{ticket.pk}:received",
                ticket=ticket,
            )
            for ticket in tickets
            if ticket.caller_phone
        ]
    )
    ids = [message.pk for message in messages]

    def queue_caller_messages() -> None:
        for message_id in ids:
            messaging.deliver_caller_message.delay(message_id)

    transaction.on_commit(queue_caller_messages, robust=True)
