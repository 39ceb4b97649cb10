"""The ticket number (工单编号): the Shanghai date of intake and the row id, given at insert.

On PostgreSQL the ids are drawn from the table's own sequence before the insert, so the
row — and the history row written with it — is inserted with its number: no second
write. Elsewhere (SQLite in development) the number is written just after the insert.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from apps.hotline.models import Ticket
from apps.workdays.calendar import SHANGHAI


def ticket_number(created_at: datetime.datetime, pk: int) -> str:
    return f"{created_at.astimezone(SHANGHAI):%Y%m%d}{pk:06d}"


def reserve_ids(count: int) -> list[int]:
    """``count`` new ids from the ticket table's sequence, ascending."""
    table = Ticket._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def number_at_insert(tickets: Sequence[Ticket]) -> bool:
    """Give unsaved ``tickets`` their ids and numbers before they are inserted; ``False``
    where the database has no sequence to draw from (then :func:`number_after_insert`)."""
    if connection.vendor != "postgresql":
        return False
    now = timezone.now()
    for ticket, pk in zip(tickets, reserve_ids(len(tickets)), strict=True):
        ticket.pk = pk
        ticket.number = ticket_number(now, pk)
    return True


def number_after_insert(ticket: Ticket) -> None:
    """Write the number from the inserted row's id and time (and give the creation's
    history row the number too). Also the repair when midnight passed between drawing the
    number and stamping the row: the number's date is always the intake's date."""
    number = ticket_number(ticket.created_at, ticket.pk)
    if number == ticket.number:
        return
    ticket.number = number
    Ticket.objects.filter(pk=ticket.pk).update(number=number)
    Ticket.history.filter(id=ticket.pk).update(number=number)
