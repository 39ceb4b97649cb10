# ruff: noqa: S608  (SQL here formats in only quoted identifiers; values are parameters)
"""Writing notification rows in one statement: ``INSERT … ON CONFLICT DO NOTHING RETURNING``.

Shared by :func:`apps.notifications.services.notify` (a few channels for one person) and
:func:`apps.notifications.bulk.notify_bulk` (thousands of people). A row whose
``dedupe_key`` already exists for its channel is skipped by the database itself (the partial
unique constraint ``uniq_notification_dedupe_channel``): a repeat or a concurrent twin never
raises and never makes a second row, and the statement returns only the rows it created, so
only those are handed to the workers. Raw INSERTs send no ``post_save``: the callers tell
the unread badge themselves (:func:`apps.notifications.badge.forget_unread_counts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from apps.notifications.models import Notification

Channel = Notification.Channel
COLUMNS = (
    "created_at",
    "updated_at",
    "recipient_id",
    "channel",
    "category",
    "title",
    "body",
    "link",
    "dedupe_key",
    "status",
    "attempts",
    "last_error",
    "sent_at",
)
TITLE_MAX = Notification._meta.get_field("title").max_length


@dataclass(frozen=True)
class Created:
    """A row the INSERT created (rows that already existed are not reported)."""

    id: int
    channel: str
    dedupe_key: str


def row_values(
    *,
    recipient_id: int,
    channel: str,
    category: str,
    title: str,
    body: str,
    link: str,
    dedupe_key: str,
    now: datetime,
) -> tuple:
    """One row in :data:`COLUMNS` order: inbox rows are sent at once, the others pending."""
    inbox = channel == Channel.INBOX
    now_db = connection.ops.adapt_datetimefield_value(now)
    return (
        now_db,
        now_db,
        recipient_id,
        channel,
        category,
        title[:TITLE_MAX],
        body,
        link,
        dedupe_key,
        Notification.Status.SENT if inbox else Notification.Status.PENDING,
        0,
        "",
        now_db if inbox else None,
    )


def insert_new(rows: Sequence[tuple]) -> list[Created]:
    """Insert ``rows`` (from :func:`row_values`) in one statement; return those created."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    placeholders = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    # Only quoted identifiers are formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(rows))} "
        "ON CONFLICT DO NOTHING RETURNING id, channel, dedupe_key"
    )
    params = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Created(*row) for row in cursor.fetchall()]
